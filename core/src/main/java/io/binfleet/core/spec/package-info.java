/**
 * The job spec: strict parsing ({@link io.binfleet.core.spec.SpecParser}), every problem reported at once with
 * its path ({@link io.binfleet.core.spec.Problems}, {@link io.binfleet.core.spec.SpecException}), size
 * limits ({@link io.binfleet.core.spec.Limits}), and the validated value ({@link io.binfleet.core.spec.JobSpec}).
 */
package io.binfleet.core.spec;
