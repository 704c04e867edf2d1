package io.amocrmetl.reconcile;

import java.math.BigDecimal;

/** A slice's measures: how many live leads, and the sum of their price (DECIMAL(18,2); null prices add nothing). */
record Measures(long count, BigDecimal sum) {
    static final Measures NONE = new Measures(0, BigDecimal.ZERO);

    Measures {
        sum = sum == null ? BigDecimal.ZERO : sum;
    }

    /** Equal counts and equal sums (2.50 equals 2.5). */
    boolean same(Measures o) {
        return count == o.count && sum.compareTo(o.sum) == 0;
    }

    @Override
    public String toString() {
        return count + " / " + sum.toPlainString();
    }
}
