/** The code a job ships with it: its folder packed at submit, unpacked once per worker into a cache. */
package io.binfleet.core.code;
