package io.amocrmetl.sandbox.data;

import static io.amocrmetl.sandbox.data.AccountGenerator.ELEMENTS;

import io.amocrmetl.sandbox.model.CatalogElement;
import io.amocrmetl.sandbox.model.CatalogLink;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Base elements of the lists (products, the regular list, invoices) and the products on leads. */
final class CatalogElementRecords {
    private final AccountGenerator gen;
    private final long seed;
    private final AccountShape shape;
    private final ReferenceData ref;

    CatalogElementRecords(AccountGenerator gen) {
        this.gen = gen;
        this.seed = gen.seed;
        this.shape = gen.shape;
        this.ref = gen.ref;
    }

    CatalogElement element(long catalogId, int e) {
        KindLayout layout = gen.elements.get(catalogId);
        SplittableRandom r = Hash.random(seed, ELEMENTS + catalogId, e);
        long user = ref.user(r).id();
        String name = catalogId == ReferenceData.PRODUCTS
                ? "Товар «" + Texts.pick(r, Texts.LEAD_WORDS) + "» " + (e + 1)
                : catalogId == ReferenceData.INVOICES ? "Счёт №" + (1000 + e) : Texts.companyName(r);
        return new CatalogElement(
                layout.id(e),
                catalogId,
                name,
                user,
                user,
                layout.createdAt(e),
                layout.updatedAt(e),
                gen.fields.customFields(
                        "catalogs/" + catalogId, Hash.random(seed, 95 + catalogId, e), layout.updatedAt(e), 1.0));
    }

    /** Product elements linked to lead i ({@code with=catalog_elements}): about 20% of leads. */
    List<CatalogLink> leadCatalogElements(int i) {
        if (i != 0 && Hash.below(seed, 105, i, 5) != 0) {
            return List.of();
        }
        KindLayout products = gen.elements.get(ReferenceData.PRODUCTS);
        int first = (int) ((long) i * products.n / shape.leads());
        List<CatalogLink> out = new ArrayList<>();
        out.add(new CatalogLink(products.id(first), ReferenceData.PRODUCTS, 1 + Hash.below(seed, 106, i, 5)));
        if (first + 1 < products.n && Hash.below(seed, 107, i, 2) == 0) {
            out.add(new CatalogLink(
                    products.id(first + 1), ReferenceData.PRODUCTS, 1 + Hash.below(seed, 108, i, 3) + 0.5));
        }
        return List.copyOf(out);
    }
}
