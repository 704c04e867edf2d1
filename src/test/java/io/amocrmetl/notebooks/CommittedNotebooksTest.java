package io.amocrmetl.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The notebooks as committed (docs/marts-and-notebooks.md): the three of
 * them, each run top to bottom with no failed cell and at least one chart in its outputs, so they
 * render on GitHub. NotebooksSlowIT runs them for real.
 */
class CommittedNotebooksTest {

    @Test
    void eachNotebookIsCommittedRunWithItsCharts() {
        List<Path> books = NotebookFiles.all(NotebookFiles.DIR);
        assertEquals(
                List.of("data-health.ipynb", "funnel-and-conversion.ipynb", "managers.ipynb"),
                books.stream().map(p -> p.getFileName().toString()).toList());
        for (Path nb : books) {
            assertEquals(List.of(), NotebookFiles.problems(nb), nb.toString());
            assertTrue(NotebookFiles.charts(nb) >= 2, nb + " has charts");
        }
    }
}
