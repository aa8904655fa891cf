# Builds every binfleet service from the Maven build; one image, the command picks the service.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY core core
COPY simulations simulations
# the Python package python simulations run is shipped inside the simulations jar
COPY python python
COPY kafka kafka
COPY broker broker
COPY producer producer
COPY worker worker
COPY reducer reducer
COPY app app
COPY integration-tests/pom.xml integration-tests/pom.xml
COPY benchmarks/pom.xml benchmarks/pom.xml
RUN mvn -B -q -DskipTests -DskipChecks package -pl app -am

FROM eclipse-temurin:17-jre
# workers run users' own Python models (the python simulation, with numpy)
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-numpy \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/binfleet
COPY --from=build /src/app/target/binfleet-app-0.1.0-SNAPSHOT.jar app.jar
COPY --from=build /src/app/target/lib lib
COPY examples examples
ENV BINFLEET_LOG_FORMAT=json \
    BINFLEET_METRICS_PORT=9400 \
    BINFLEET_STATE_DIR=/var/lib/binfleet/reducer-state
EXPOSE 9400
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "app.jar:lib/*", "io.binfleet.app.Binfleet"]
CMD ["--help"]
