/**
 * The sandbox account's typed records: what the simulated amoCRM serves, and what tests read as
 * ground truth. Field names follow docs/amocrm-api.md §2; timestamps are Unix seconds.
 * Nullable fields are boxed.
 */
package io.amocrmetl.sandbox.model;
