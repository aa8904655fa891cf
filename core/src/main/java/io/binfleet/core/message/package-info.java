/**
 * The messages on binfleet's topics (DESIGN §3) and the result document (DESIGN §5), as records. Every message
 * carries a schema version {@code v}; readers refuse versions they do not know.
 */
package io.binfleet.core.message;
