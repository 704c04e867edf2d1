package io.amocrmetl.sandbox.data;

import java.util.List;

/** One page of a list and whether another page follows it. */
public record PageResult<T>(List<T> items, boolean hasNext) {}
