#!/usr/bin/env python3
"""bench/oss.sh's peer: the same fields out of a Bulk CM export with lxml's
iterparse, the usual way to stream big XML in Python (each managed element
cleared once read, earlier siblings deleted, so memory stays flat).
Prints rows, elements, cells."""
import sys
from lxml import etree

WANT = {"vendorName", "swVersion", "managedElementType", "userLabel", "locationName",
        "userDefinedState", "neType", "eNBId", "gNBId", "gNBIdLength", "mcc", "mnc", "mncLength",
        "vsDataType", "vsDataFormatVersion", "inventoryUnitType", "vendorUnitFamilyType",
        "vendorUnitTypeNumber", "serialNumber", "versionNumber", "dateOfManufacture", "manufacturerData"}
CELLS = {"EUtranCellFDD", "EUtranCellTDD", "NRCellDU", "UtranCell", "GsmCell"}
FUNCS = {"ENBFunction", "GNBDUFunction", "GNBCUCPFunction", "GNBCUUPFunction", "NodeBFunction"}


def local(tag):
    return tag.rsplit("}", 1)[-1]


def main(paths):
    rows = elements = cells = 0
    for path in paths:
        for _, el in etree.iterparse(path, events=("end",), huge_tree=False, resolve_entities=False,
                                     no_network=True):
            name = local(el.tag)
            if name in WANT and el.text:
                rows += 1
            elif name in CELLS:
                cells += 1
                rows += 1
            elif name in FUNCS:
                rows += 1
            elif name == "MeContext":
                elements += 1
                el.clear()
                while el.getprevious() is not None:
                    del el.getparent()[0]
    print("rows=%d elements=%d cells=%d" % (rows, elements, cells))


if __name__ == "__main__":
    main(sys.argv[1:])
