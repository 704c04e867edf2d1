package io.amocrmetl.sandbox.model;

import java.util.List;

/** A pipeline with its statuses, 142 and 143 included (docs/amocrm-api.md §2.4). */
public record Pipeline(
        long id,
        String name,
        int sort,
        boolean isMain,
        boolean isUnsortedOn,
        boolean isArchive,
        List<Status> statuses) {}
