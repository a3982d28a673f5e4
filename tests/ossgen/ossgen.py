#!/usr/bin/env python3
"""ossgen: writes OSS exports for the tests and bench/oss.sh.

  ossgen.py bulkcm VENDOR FILE [--plmn MCC-MNC] [--sites N] [--first N] [--gnb BASE/BITS] [--enb BASE]
      a 3GPP Bulk CM export (TS 32.615 configData with the Generic, E-UTRAN,
      NR and Inventory NRMs) as VENDOR's OSS writes it: ericsson (ENM, with
      EricssonSpecificAttributes vsData containers), huawei, zte (with
      ZTESpecificAttributes); each site has an eNB with three LTE cells, a
      gNB (DU + CU-CP) with three NR cells on every second site, and
      hardware units, one of them of another maker; site i has eNB id BASE+i (--enb,
      default 10000) and, on even sites, gNB id BASE+i of BITS bits (--gnb)
  ossgen.py raml FILE [--plmn MCC-MNC] [--sites N] [--first N]
      a Nokia RAML 2.0 export (NetAct): MRBTS with LNBTS / LNCEL, NRBTS /
      NRCELL on every second site, and hardware objects with product codes
  ossgen.py bench FILE BYTES
      a Bulk CM export of about BYTES bytes (Ericsson dialect), for bench/
  ossgen.py hostile DIR
  ossgen.py seeds DIR
      the fuzz target's seed corpus in DIR/oss/: small exports of each
      dialect (plain, not gzip: the target reads bytes) and the hostile files
      the hostile files: billion laughs, XXE (internal subset and external
      DTD), deep nesting, a huge text, an unknown format, a truncated file

A FILE ending in .gz is written gzip-compressed. What the files hold is
a pure function of the arguments, so tests can say what they must yield.
"""
import gzip
import sys
import zlib

NS = {
    "": "http://www.3gpp.org/ftp/specs/archive/32_series/32.615#configData",
    "xn": "http://www.3gpp.org/ftp/specs/archive/32_series/32.625#genericNrm",
    "en": "http://www.3gpp.org/ftp/specs/archive/32_series/32.765#eutranNrm",
    "nr": "http://www.3gpp.org/ftp/specs/archive/28_series/28.541#nrNrm",
    "in": "http://www.3gpp.org/ftp/specs/archive/32_series/32.695#inventoryNrm",
}

VENDORS = {
    # vendorName, element type, software, vsData format, hardware (type, family, product, vendor)
    "ericsson": ("Ericsson", "RadioNode", "CXP2010174/1 R52A54", "EricssonSpecificAttributes.17.28",
                 [("Baseband", "Baseband 6630", "KDU 137 848/11", "Ericsson AB"),
                  ("RadioUnit", "Radio 4415 B3", "KRC 161 707/1", "Ericsson AB")]),
    "huawei": ("Huawei", "BTS5900", "BTS5900 V100R018C10SPC200", None,
               [("BBU", "BBU5900", "02312SJM", "Huawei Technologies Co., Ltd."),
                ("RRU", "RRU5258", "02312QAN", "Huawei Technologies Co., Ltd.")]),
    "zte": ("ZTE", "ITBBU", "V16.20.10", "ZTESpecificAttributes",
            [("BBU", "ITBBU", "ZXRAN V9200", "ZTE Corporation"),
             ("RRU", "R8862A S2100", "ZXSDR R8862A", "ZTE Corporation")]),
}
# the unit of another maker inside every fourth site (an antenna-line device)
FOREIGN = ("AISG-RET", "RET antenna unit", "86010148", "Kathrein SE")


class Out:
    def __init__(self, path):
        self.f = gzip.open(path, "wb", compresslevel=6) if path.endswith(".gz") else open(path, "wb")
        self.parts = []
        self.size = 0

    def w(self, s):
        self.parts.append(s)
        if len(self.parts) >= 2000:
            self.flush()

    def flush(self):
        b = "".join(self.parts).encode()
        self.size += len(b)
        self.f.write(b)
        self.parts = []

    def close(self):
        self.flush()
        self.f.close()


def plmn_split(plmn):
    mcc, mnc = plmn.split("-")
    return mcc, mnc


def bulk_site(o, vendor, i, plmn, region_cells, gnb_base=20000, gnb_bits=24, enb_base=10000):
    vname, metype, sw, vs, hw = VENDORS[vendor]
    mcc, mnc = plmn_split(plmn)
    site = "SITE%05d" % i
    enb = enb_base + i
    w = o.w
    w('      <xn:MeContext id="%s">\n' % site)
    if vs:
        w('        <xn:VsDataContainer id="%s">\n          <xn:attributes>\n'
          '            <xn:vsDataType>vsDataMeContext</xn:vsDataType>\n'
          '            <xn:vsDataFormatVersion>%s</xn:vsDataFormatVersion>\n'
          '            <es:vsDataMeContext>\n              <es:neType>%s</es:neType>\n'
          '              <es:ipAddress>10.%d.%d.%d</es:ipAddress>\n            </es:vsDataMeContext>\n'
          '          </xn:attributes>\n        </xn:VsDataContainer>\n'
          % (site, vs, metype, 20 + i // 65536, (i // 256) % 256, i % 256))
    w('        <xn:ManagedElement id="1">\n          <xn:attributes>\n'
      '            <xn:managedElementType>%s</xn:managedElementType>\n'
      '            <xn:userLabel>%s</xn:userLabel>\n            <xn:vendorName>%s</xn:vendorName>\n'
      '            <xn:userDefinedState>IN SERVICE</xn:userDefinedState>\n'
      '            <xn:locationName>%s &amp; Main St</xn:locationName>\n'
      '            <xn:swVersion>%s</xn:swVersion>\n          </xn:attributes>\n'
      % (metype, site, vname, site, sw))
    # the eNB: the standard NRM object, Ericsson's vendor attributes inside it
    w('          <en:ENBFunction id="1">\n            <en:attributes>\n'
      '              <en:userLabel>%s-LTE</en:userLabel>\n              <en:eNBId>%d</en:eNBId>\n'
      '              <en:x2BlackList/>\n            </en:attributes>\n' % (site, enb))
    if vs:
        w('            <xn:VsDataContainer id="1">\n              <xn:attributes>\n'
          '                <xn:vsDataType>vsDataENodeBFunction</xn:vsDataType>\n'
          '                <xn:vsDataFormatVersion>%s</xn:vsDataFormatVersion>\n'
          '                <es:vsDataENodeBFunction>\n                  <es:eNBId>%d</es:eNBId>\n'
          '                  <es:eNodeBPlmnId>\n                    <es:mcc>%s</es:mcc>\n'
          '                    <es:mnc>%s</es:mnc>\n                    <es:mncLength>%d</es:mncLength>\n'
          '                  </es:eNodeBPlmnId>\n                </es:vsDataENodeBFunction>\n'
          '              </xn:attributes>\n            </xn:VsDataContainer>\n'
          % (vs, enb, mcc, mnc.lstrip("0") or "0", len(mnc)))
    for c in range(1, 4):
        w('            <en:EUtranCellFDD id="%s-%d">\n              <en:attributes>\n'
          '                <en:cellLocalId>%d</en:cellLocalId>\n'
          '                <en:pLMNIdList><en:pLMNId><en:mcc>%s</en:mcc><en:mnc>%s</en:mnc></en:pLMNId></en:pLMNIdList>\n'
          '                <en:tac>%d</en:tac>\n                <en:earfdnDl>1300</en:earfdnDl>\n'
          '              </en:attributes>\n            </en:EUtranCellFDD>\n'
          % (site, c, c, mcc, mnc, 100 + i % 50))
    region_cells[0] += 3
    w('          </en:ENBFunction>\n')
    if i % 2 == 0:
        gnb = gnb_base + i
        for fn in ("GNBDUFunction", "GNBCUCPFunction"):
            w('          <nr:%s id="1">\n            <nr:attributes>\n'
              '              <nr:gNBId>%d</nr:gNBId>\n              <nr:gNBIdLength>%d</nr:gNBIdLength>\n'
              % (fn, gnb, gnb_bits))
            if fn == "GNBCUCPFunction":
                w('              <nr:pLMNId><nr:mcc>%s</nr:mcc><nr:mnc>%s</nr:mnc></nr:pLMNId>\n' % (mcc, mnc))
            w('            </nr:attributes>\n')
            if fn == "GNBDUFunction":
                for c in range(1, 4):
                    w('            <nr:NRCellDU id="%s-NR%d">\n              <nr:attributes>\n'
                      '                <nr:cellLocalId>%d</nr:cellLocalId>\n'
                      '                <nr:nRPCI>%d</nr:nRPCI>\n              </nr:attributes>\n'
                      '            </nr:NRCellDU>\n' % (site, c, c, (i * 3 + c) % 1008))
                region_cells[0] += 3
            w('          </nr:%s>\n' % fn)
    units = list(hw)
    if i % 4 == 1:
        units.append(FOREIGN)
    for u, (typ, fam, prod, mk) in enumerate(units, 1):
        w('          <in:InventoryUnit id="%d">\n            <in:attributes>\n'
          '              <in:inventoryUnitType>%s</in:inventoryUnitType>\n'
          '              <in:vendorUnitFamilyType>%s</in:vendorUnitFamilyType>\n'
          '              <in:vendorUnitTypeNumber>%s</in:vendorUnitTypeNumber>\n'
          '              <in:vendorName>%s</in:vendorName>\n'
          '              <in:serialNumber>%s%06d%d</in:serialNumber>\n'
          '              <in:versionNumber>R1B</in:versionNumber>\n'
          '              <in:dateOfManufacture>2021-03-0%d</in:dateOfManufacture>\n'
          '            </in:attributes>\n          </in:InventoryUnit>\n'
          % (u, typ, fam, prod, mk.replace("&", "&amp;"), vendor[:2].upper(), i, u, u))
    w('        </xn:ManagedElement>\n      </xn:MeContext>\n')


def bulk_head(o, vendor):
    vname, _, _, vs, _ = VENDORS[vendor]
    es = ' xmlns:es="%s.xsd"' % vs if vs else ""
    o.w('<?xml version="1.0" encoding="UTF-8"?>\n<bulkCmConfigDataFile xmlns="%s"' % NS[""])
    for k in ("xn", "en", "nr", "in"):
        o.w(' xmlns:%s="%s"' % (k, NS[k]))
    o.w('%s>\n  <fileHeader fileFormatVersion="32.615 V4.5" vendorName="%s"/>\n'
        '  <configData dnPrefix="DC=%s.example">\n'
        '    <xn:SubNetwork id="ROOT">\n' % (es, vname, vendor))


def bulk_tail(o):
    o.w('    </xn:SubNetwork>\n  </configData>\n  <fileFooter dateTime="2024-05-01T02:00:00Z"/>\n'
        '</bulkCmConfigDataFile>\n')


def bulkcm(vendor, path, plmn, sites, first, gnb, enb_base=10000):
    o = Out(path)
    bulk_head(o, vendor)
    cells = [0]
    for r, name in enumerate(("NORTH", "SOUTH")):
        o.w('    <xn:SubNetwork id="%s">\n' % name)
        for i in range(first + r, first + sites, 2):
            bulk_site(o, vendor, i, plmn, cells, *map(int, gnb.split("/")), enb_base=enb_base)
        o.w('    </xn:SubNetwork>\n')
    bulk_tail(o)
    o.close()


def raml(path, plmn, sites, first):
    mcc, mnc = plmn_split(plmn)
    o = Out(path)
    w = o.w
    w('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE raml SYSTEM \'raml20.dtd\'>\n'
      '<raml version="2.0" xmlns="raml20.xsd">\n'
      '  <cmData type="actual" scope="all" name="netact-export" id="PlanConfiguration( 1 )">\n'
      '    <header>\n      <log dateTime="2024-05-01T02:00:00" action="created" appInfo="ActualExporter">'
      'InternalValues are used</log>\n    </header>\n')

    def mo(cls, dn, ver, params, lists=()):
        w('    <managedObject class="%s" version="%s" distName="%s" id="%d">\n' % (cls, ver, dn, zlib.crc32(dn.encode()) % 99999))
        for k, v in params:
            w('      <p name="%s">%s</p>\n' % (k, v))
        for name, vals in lists:
            w('      <list name="%s">\n' % name)
            for v in vals:
                w('        <p>%s</p>\n' % v)
            w('      </list>\n')
        w('    </managedObject>\n')

    mo("PLMN", "PLMN-PLMN", "SBTS20A", [("name", "operator")])
    for i in range(first, first + sites):
        root = "PLMN-PLMN/MRBTS-%d" % (100 + i)
        mo("com.nokia.srbts:MRBTS", root, "SBTS20A",
           [("btsName", "NSITE%04d" % i), ("activeSWReleaseVersion", "SBTS20A_ENB_0000_000400_000000"),
            ("siteName", "Nokia site %d" % i)])
        mo("com.nokia.srbts.eqm:EQM", root + "/EQM-1", "SBTS20A", [("userLabel", "equipment")])
        units = [("SMOD", "473764A", "AirScale System Module ASIA", "L1%07d" % i),
                 ("BBMOD", "474021A", "AirScale Capacity ABIA", "L2%07d" % i),
                 ("RMOD", "473439A", "AHEGB AirScale RRH", "K9%07d" % i)]
        for n, (cls, code, name, ser) in enumerate(units, 1):
            mo("com.nokia.srbts.eqm:" + cls, root + "/EQM-1/APEQM-1/%s-%d" % (cls, n), "SBTS20A",
               [("productCode", code), ("productName", name), ("serialNumber", ser)])
        lnbts = root + "/LNBTS-%d" % (100 + i)
        mo("NOKLTE:LNBTS", lnbts, "FL20A", [("enbName", "NSITE%04d" % i), ("mcc", mcc), ("mnc", mnc),
                                           ("mncLength", str(len(mnc)))],
           lists=[("plmnList", [mcc + mnc])])
        for c in range(1, 4):
            mo("NOKLTE:LNCEL", lnbts + "/LNCEL-%d" % c, "FL20A", [("cellName", "N%04d-%d" % (i, c)), ("tac", "300")])
        if i % 2 == 0:
            nrbts = root + "/NRBTS-%d" % (100 + i)
            mo("com.nokia.srbts.nrbts:NRBTS", nrbts, "5G20A",
               [("gNbId", str(30000 + i)), ("gNbIdLength", "26"), ("mcc", mcc), ("mnc", mnc)])
            for c in range(1, 3):
                mo("com.nokia.srbts.nrbts:NRCELL", nrbts + "/NRCELL-%d" % c, "5G20A", [("nrCellId", str(c))])
    w('  </cmData>\n</raml>\n')
    o.close()


def bench(path, size):
    o = Out(path)
    bulk_head(o, "ericsson")
    cells = [0]
    i = 0
    o.w('    <xn:SubNetwork id="BENCH">\n')
    while o.size + sum(map(len, o.parts)) < size:
        if i and i % 5000 == 0:
            o.w('    </xn:SubNetwork>\n    <xn:SubNetwork id="BENCH%d">\n' % (i // 5000))
        bulk_site(o, "ericsson", i, "262-01", cells)
        i += 1
    o.w('    </xn:SubNetwork>\n')
    bulk_tail(o)
    o.close()
    print("%d sites, %d cells, %d bytes" % (i, cells[0], o.size))


def hostile(d):
    def put(name, data):
        with open("%s/%s" % (d, name), "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)

    head = '<bulkCmConfigDataFile xmlns="%s" xmlns:xn="%s">' % (NS[""], NS["xn"])
    put("billion-laughs.xml", '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
        "".join(' <!ENTITY lol%d "%s">\n' % (k, ("&lol%d;" % (k - 1) if k > 1 else "&lol;") * 10)
                for k in range(1, 10)) +
        ']>\n%s<configData><xn:SubNetwork id="&lol9;"/></configData></bulkCmConfigDataFile>\n' % head)
    put("xxe-internal.xml", '<?xml version="1.0"?>\n<!DOCTYPE x [ <!ENTITY secret SYSTEM "file://%s/secret.txt"> ]>\n'
        '%s<configData><xn:SubNetwork id="R"><xn:ManagedElement id="1"><xn:attributes>'
        '<xn:vendorName>&secret;</xn:vendorName></xn:attributes></xn:ManagedElement></xn:SubNetwork>'
        '</configData></bulkCmConfigDataFile>\n' % (d, head))
    # an external DTD (allowed: RAML names one) that would define the entity: never opened
    put("evil.dtd", '<!ENTITY secret SYSTEM "file://%s/secret.txt">\n' % d)
    put("xxe-external.xml", '<?xml version="1.0"?>\n<!DOCTYPE bulkCmConfigDataFile SYSTEM "file://%s/evil.dtd">\n'
        '%s<configData><xn:SubNetwork id="R"><xn:ManagedElement id="1"><xn:attributes>'
        '<xn:vendorName>&secret;</xn:vendorName><xn:userLabel>after</xn:userLabel></xn:attributes>'
        '</xn:ManagedElement></xn:SubNetwork></configData></bulkCmConfigDataFile>\n' % (d, head))
    put("secret.txt", "TOP-SECRET-MARKER\n")
    put("deep.xml", head + "<configData>" + "<xn:SubNetwork id=\"d\">" * 200 + "</xn:SubNetwork>" * 200 +
        "</configData></bulkCmConfigDataFile>\n")
    put("huge-text.xml", head + '<configData><xn:SubNetwork id="R"><xn:ManagedElement id="1"><xn:attributes>'
        '<xn:userLabel>' + "A" * (3 << 20) + '</xn:userLabel></xn:attributes></xn:ManagedElement>'
        '</xn:SubNetwork></configData></bulkCmConfigDataFile>\n')
    put("unknown.xml", '<?xml version="1.0"?>\n<MOs xmlns="urn:vendor:cm"><MO class="NE"/></MOs>\n')
    put("not-xml.xml", "sysDescr,sysName\nfoo,bar\n")


def main(a):
    opts = {"--plmn": "208-93", "--sites": "6", "--first": "1", "--gnb": "20000/24", "--enb": "10000"}
    pos = []
    k = 0
    while k < len(a):
        if a[k] in opts:
            opts[a[k]] = a[k + 1]
            k += 2
        else:
            pos.append(a[k])
            k += 1
    if pos and pos[0] == "bulkcm" and len(pos) == 3 and pos[1] in VENDORS:
        bulkcm(pos[1], pos[2], opts["--plmn"], int(opts["--sites"]), int(opts["--first"]), opts["--gnb"],
               int(opts["--enb"]))
    elif pos and pos[0] == "raml" and len(pos) == 2:
        raml(pos[1], opts["--plmn"], int(opts["--sites"]), int(opts["--first"]))
    elif pos and pos[0] == "bench" and len(pos) == 3:
        bench(pos[1], int(pos[2]))
    elif pos and pos[0] == "hostile" and len(pos) == 2:
        hostile(pos[1])
    elif pos and pos[0] == "seeds" and len(pos) == 2:
        import os
        d = os.path.join(pos[1], "oss")
        os.makedirs(d, exist_ok=True)
        for v in VENDORS:
            bulkcm(v, os.path.join(d, "bulkcm-%s.xml" % v), "001-01", 2, 1, "20000/24")
        raml(os.path.join(d, "raml.xml"), "001-001", 2, 1)
        hostile(d)
        os.remove(os.path.join(d, "huge-text.xml"))     # 3 MiB: over the replay's buffer
    else:
        sys.stderr.write(__doc__)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
