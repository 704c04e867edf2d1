package io.amocrmetl.marts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Charts render (headless, Cyrillic labels) and draw their series; tables escape what they show. */
class ChartTest {

    @Test
    void everyTypeDrawsItsSeries() {
        for (Chart.Type type : Chart.Type.values()) {
            BufferedImage img = Chart.of(type, "Воронка «продаж»")
                    .categories(List.of("Первичный контакт", "Переговоры", "Успешно"))
                    .series("leads", List.of(40, 25, 10))
                    .series("now", Arrays.asList(5, null, 10))
                    .size(600, 300)
                    .render();
            assertEquals(600, img.getWidth());
            assertTrue(img.getHeight() >= 300);
            assertTrue(colored(img, 0x4C78A8) > 200, type + " draws the first series");
            assertTrue(colored(img, 0xF58518) > 20, type + " draws the second series");
        }
    }

    @Test
    void aSeriesMustMatchTheCategories() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Chart.of(Chart.Type.BARS, "x")
                        .categories(List.of("a", "b"))
                        .series("s", List.of(1)));
        assertTrue(e.getMessage().contains("'s' has 1 values for 2 categories"), e.getMessage());
    }

    @Test
    void numbersAndTables() {
        assertEquals("1.2M", Chart.number(1_234_567));
        assertEquals("45k", Chart.number(45_000));
        assertEquals("7", Chart.number(7));
        assertEquals("0.25", Chart.number(0.25));
        assertEquals(800, Chart.nice(779), 1e-9);
        assertEquals(1.0, Chart.nice(0.9), 1e-9);
        assertEquals(40, Chart.nice(31), 1e-9);
        String html = HtmlTable.of(
                List.of("name", "amount"), List.of(List.of("<b>\"x\" & y</b>", new java.math.BigDecimal("1234.5"))));
        assertTrue(html.contains("&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"), html);
        assertTrue(html.contains("<td style=\"text-align:right\">1,234.50</td>"), html);
    }

    private static int colored(BufferedImage img, int rgb) {
        int n = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }
}
