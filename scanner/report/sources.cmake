set(D ${CMAKE_CURRENT_LIST_DIR})
# Reports and diffs: the report model (queries over verdicts) and one
# renderer per format; diffs between two scans.
add_library(os_report STATIC
  ${D}/report.c
  ${D}/report_ran.c
  ${D}/report_text.c
  ${D}/report_json.c
  ${D}/report_csv.c
  ${D}/report_html.c
  ${D}/report_cyclonedx.c
  ${D}/report_netbox.c
  ${D}/diff.c
  ${D}/diff_ran.c
  ${D}/diff_syslog.c)
target_link_libraries(os_report PUBLIC os_attrib os_kb os_db os_plan os_lib)
