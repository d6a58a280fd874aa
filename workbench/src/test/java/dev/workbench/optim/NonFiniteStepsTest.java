package dev.workbench.optim;

import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteStepsTest {

    @Test
    void countsNonFiniteStepsInARowUpToTheLimit() {
        NonFiniteSteps guard = new NonFiniteSteps(3);
        assertFalse(guard.skip(true));
        assertTrue(guard.skip(false));
        assertTrue(guard.skip(false));
        assertFalse(guard.diverged(), "2 in a row, limit 3");
        assertFalse(guard.skip(true), "a finite step resets the run");
        assertEquals(0, guard.inARow());
        assertTrue(guard.skip(false));
        assertTrue(guard.skip(false));
        assertTrue(guard.skip(false));
        assertTrue(guard.diverged());
        assertEquals(3, guard.inARow());
        assertEquals(6, guard.firstInARow(8), "steps 6, 7 and 8");
    }

    @Test
    void refusesALimitBelowOne() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new NonFiniteSteps(0));
        assertEquals("max_non_finite_steps must be at least 1, got 0", e.getMessage());
    }
}
