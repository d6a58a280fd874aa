package dev.workbench.eval;

import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdvMetadataTest {

    @Test
    void mapsSdtypesAndConvertsDatetimes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("m.json"), """
                {"METADATA_SPEC_VERSION": "SINGLE_TABLE_V1", "primary_key": "key",
                 "columns": {"key": {"sdtype": "categorical"}, "n": {"sdtype": "numerical"},
                             "when": {"sdtype": "datetime", "datetime_format": "%d/%m/%Y %H:%M"},
                             "day": {"sdtype": "datetime"}, "flag": {"sdtype": "boolean"}}}
                """);
        SdvMetadata m = SdvMetadata.read(file);
        // The primary key is dropped even when its sdtype is not id.
        assertEquals(Set.of("key"), m.dropped());
        assertEquals(Map.of("n", "continuous", "when", "continuous", "day", "continuous", "flag", "boolean"),
                m.columnTypes());
        List<List<String>> out = m.convertDatetimes(List.of("when", "day", "n"),
                List.of(List.of("02/01/1970 00:01", "1970-01-03", "7"), List.of("garbage", "", "8")));
        // 1 day + 1 minute = 86460 s; ISO date 1970-01-03 = 2 days = 172800 s (python3: datetime(1970,1,2,0,1).timestamp()).
        assertEquals(List.of("86460", "172800", "7"), out.get(0));
        assertEquals(List.of("", "", "8"), out.get(1), "unparseable or empty cells become missing");
    }

    @Test
    void rejectsWhatItCannotMap(@TempDir Path dir) throws Exception {
        Path version = Files.writeString(dir.resolve("v.json"),
                "{\"METADATA_SPEC_VERSION\": \"MULTI_TABLE_V1\", \"columns\": {}}");
        assertTrue(assertThrows(WorkbenchException.class, () -> SdvMetadata.read(version)).getMessage()
                .contains("MULTI_TABLE_V1"));
        Path format = Files.writeString(dir.resolve("f.json"),
                "{\"columns\": {\"t\": {\"sdtype\": \"datetime\", \"datetime_format\": \"%Q\"}}}");
        assertTrue(assertThrows(WorkbenchException.class, () -> SdvMetadata.read(format)).getMessage()
                .contains("columns.t.datetime_format"));
        Path key = Files.writeString(dir.resolve("k.json"), "{\"columns\": {}, \"primary_key\": \"id\"}");
        assertTrue(assertThrows(WorkbenchException.class, () -> SdvMetadata.read(key)).getMessage()
                .contains("primary_key 'id'"));
        assertEquals("", SdvMetadata.epochSeconds("x", Optional.empty()));
    }

    /** SDV 1.x layout, one table: picked without --table; the primary key of that table is dropped. */
    @Test
    void readsV1MetadataWithOneTable(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("v1.json"), """
                {"METADATA_SPEC_VERSION": "V1", "relationships": [],
                 "tables": {"users": {"primary_key": "uid",
                                      "columns": {"uid": {"sdtype": "id"}, "age": {"sdtype": "numerical"},
                                                  "plan": {"sdtype": "categorical"}}}}}
                """);
        SdvMetadata m = SdvMetadata.read(file);
        assertEquals(Map.of("age", "continuous", "plan", "categorical"), m.columnTypes());
        assertEquals(Set.of("uid"), m.dropped());
        assertEquals(m, SdvMetadata.read(file, Optional.of("users")));
        assertTrue(assertThrows(WorkbenchException.class, () -> SdvMetadata.read(file, Optional.of("orders")))
                .getMessage().contains("no table 'orders' in 'tables' (tables: users)"));
    }

    /** Two tables: --table picks one; without it the error names both. */
    @Test
    void readsV1MetadataWithTwoTablesByName(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("v1.json"), """
                {"METADATA_SPEC_VERSION": "V1",
                 "tables": {"users": {"primary_key": "uid",
                                      "columns": {"uid": {"sdtype": "id"}, "age": {"sdtype": "numerical"}}},
                            "orders": {"primary_key": "oid",
                                       "columns": {"oid": {"sdtype": "id"}, "uid": {"sdtype": "id"},
                                                   "total": {"sdtype": "numerical"},
                                                   "kind": {"sdtype": "boolean"}}}},
                 "relationships": [{"parent_table_name": "users", "child_table_name": "orders",
                                    "parent_primary_key": "uid", "child_foreign_key": "uid"}]}
                """);
        SdvMetadata orders = SdvMetadata.read(file, Optional.of("orders"));
        assertEquals(Map.of("total", "continuous", "kind", "boolean"), orders.columnTypes());
        assertEquals(Set.of("oid", "uid"), orders.dropped());
        assertEquals(Map.of("age", "continuous"), SdvMetadata.read(file, Optional.of("users")).columnTypes());
        String message = assertThrows(WorkbenchException.class, () -> SdvMetadata.read(file)).getMessage();
        assertTrue(message.contains("holds 2 tables (users, orders)") && message.contains("--table NAME"), message);
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"tables": {"t": {"columns": {"x": {"sdtype": "text"}}}}}
                """);
        assertTrue(assertThrows(WorkbenchException.class, () -> SdvMetadata.read(bad)).getMessage()
                .contains("tables.t.columns.x.sdtype 'text'"));
    }
}
