# The mobile control-plane dissectors (Diameter, S1AP, NGAP, X2AP, XnAP,
# GTP, PFCP) and their rows of the dissector table; the frame path in
# collectors/pcap calls them.
set(D ${CMAKE_CURRENT_LIST_DIR})
target_sources(os_pcap PRIVATE
  ${D}/mobile_util.c
  ${D}/per.c
  ${D}/diameter.c
  ${D}/s1ap.c
  ${D}/ngap.c
  ${D}/x2ap.c
  ${D}/xnap.c
  ${D}/gtp.c
  ${D}/pfcp.c)
