/** The one strict JSON codec every binfleet document and message goes through. */
package io.binfleet.core.codec;
