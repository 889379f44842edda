package io.logship.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FieldRolesTest {

    private static final EventEncoder.FieldRoles WITH_ENVIRONMENT = new EventEncoder.FieldRoles(true);

    @Test
    void eachNameHasTheRoleOfTheEventSchema() {
        EventEncoder.FieldRoles roles = new EventEncoder.FieldRoles(false);
        for (String own : new String[] {"tenant_id", "upload_id", "event_id", "ingested_at", "source"}) {
            assertEquals(EventEncoder.FieldRoles.REPLACED, roles.of(own), own);
        }
        assertEquals(EventEncoder.FieldRoles.OTHER, roles.of("environment"), "kept when the upload names none");
        assertEquals(EventEncoder.FieldRoles.REPLACED, WITH_ENVIRONMENT.of("environment"));
        for (int rank = 0; rank < EventTimestamp.SOURCE_FIELDS.length; rank++) {
            assertEquals(EventEncoder.FieldRoles.TIME + rank, roles.of(EventTimestamp.SOURCE_FIELDS[rank]));
        }
        assertEquals(EventEncoder.FieldRoles.LEVEL, roles.of("level"));
        assertEquals(EventEncoder.FieldRoles.LEVEL + 1, roles.of("severity"));
        assertEquals(EventEncoder.FieldRoles.LEVEL + 2, roles.of("loglevel"));
        assertEquals(EventEncoder.FieldRoles.OTHER, roles.of("message"));
        assertEquals(EventEncoder.FieldRoles.OTHER, roles.of("Level"), "names are case-sensitive, as in the event");
    }

    /** Remembered by String identity: another String of the same name, or names sharing a slot, are worked out again. */
    @Test
    void aNameIsKnownWhicheverStringCarriesIt() {
        EventEncoder.FieldRoles roles = new EventEncoder.FieldRoles(false);
        for (int i = 0; i < 1_000; i++) {
            String name = i % 3 == 0 ? new String("level") : i % 3 == 1 ? "field" + (i % 97) : new String("time");
            int expected = name.equals("level") ? EventEncoder.FieldRoles.LEVEL
                    : name.equals("time") ? EventEncoder.FieldRoles.TIME + 2 : EventEncoder.FieldRoles.OTHER;
            assertEquals(expected, roles.of(name), name);
        }
    }
}
