package io.fabricstitch.agent.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which devices a node may claim: names listed one by one, globs, or both. */
class DeviceAllowListTest {
    @Test
    void aListedName_allowsThatDeviceAlone_byItsDeviceKeyOrItsClaimKey() {
        DeviceAllowList list = DeviceAllowList.of(List.of("declared:gpu-1", "pci:0000:3b:00.0"));
        assertTrue(list.allows("declared:gpu-1", "declared:gpu-1"));
        assertTrue(list.allows("nvidia:GPU-5d1c", "pci:0000:3b:00.0"));
        assertFalse(list.allows("declared:gpu-10", "declared:gpu-10"), "a name is no prefix");
        assertFalse(list.allows("pci:0000x3b:00.0", "pci:0000x3b:00.0"), "a dot in a name is a dot");
    }

    @Test
    void globsAndNames_mix_andThousandsOfNamesAllowEachOfThem() {
        List<String> globs = new ArrayList<>(List.of("pci:0000:3b:*", "declared:fpga-?"));
        for (int i = 0; i < 5_000; i++)
            globs.add("declared:gpu-" + i);
        DeviceAllowList list = DeviceAllowList.of(globs);
        for (int i = 0; i < 5_000; i++)
            assertTrue(list.allows("declared:gpu-" + i, "declared:gpu-" + i));
        assertTrue(list.allows("nvidia:GPU-1", "pci:0000:3b:00.1"));
        assertTrue(list.allows("declared:fpga-7", "declared:fpga-7"));
        assertFalse(list.allows("declared:fpga-17", "declared:fpga-17"));
        assertFalse(list.allows("declared:gpu-5000", "declared:gpu-5000"));
        assertFalse(list.allowsAll());
        assertTrue(DeviceAllowList.of(List.of()).allowsAll());
    }
}
