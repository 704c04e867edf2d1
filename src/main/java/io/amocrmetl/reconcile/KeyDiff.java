package io.amocrmetl.reconcile;

/**
 * A key the two sides disagree on: its id, its created_at (epoch seconds, for its period), and
 * each side's state (null: that side lacks it).
 */
record KeyDiff(long id, long createdAt, KeyState lake, KeyState api) {}
