package io.amocrmetl.config;

import com.typesafe.config.Config;

/**
 * {@code marts.*}: where the {@code marts} command writes the marts it materialises, and whether
 * the mybi-compatible views (docs/conventions.md) are defined.
 *
 * @param path the folder of the materialised marts, one Delta table each
 * @param mybiViews define {@code amocrm_leads}, {@code amocrm_leads_attributes}, ... for readers
 */
public record MartsSettings(String path, boolean mybiViews) {

    static MartsSettings from(Config c, String lakePath) {
        String path = EtlConfig.stringOrNull(c, "marts.path");
        String root = lakePath.endsWith("/") ? lakePath.substring(0, lakePath.length() - 1) : lakePath;
        return new MartsSettings(path != null ? path : root + "/marts", EtlConfig.bool(c, "marts.mybi-views"));
    }
}
