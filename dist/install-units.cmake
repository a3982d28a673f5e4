# Run by cmake --install (CMakeLists.txt): writes the systemd units with
# the installed binary's and README's paths, into
#   ORIGINSCAN_SYSTEMD_UNITDIR when it was set at configure time, else
#   systemd's own unit directory (pkg-config systemd systemdsystemunitdir,
#   /lib/systemd/system on Debian 12) when the prefix is /usr, else
#   PREFIX/lib/systemd/system (systemd reads /usr/local/lib/systemd/system).
# In: OS_SRC OS_BUILD OS_BINDIR OS_DOCDIR OS_UNITDIR OS_PC_UNITDIR, and
# CMAKE_INSTALL_PREFIX as cmake --install has it.
set(prefix "${CMAKE_INSTALL_PREFIX}")
if(OS_UNITDIR)
  set(unitdir "${OS_UNITDIR}")
elseif(prefix STREQUAL "/usr" AND OS_PC_UNITDIR)
  set(unitdir "${OS_PC_UNITDIR}")
else()
  set(unitdir "${prefix}/lib/systemd/system")
endif()
foreach(dir BINDIR DOCDIR)
  if(IS_ABSOLUTE "${OS_${dir}}")
    set(full_${dir} "${OS_${dir}}")
  else()
    set(full_${dir} "${prefix}/${OS_${dir}}")
  endif()
endforeach()
foreach(unit originscan-scan.service originscan-scan.timer)
  file(READ "${OS_SRC}/examples/${unit}" text)
  string(REPLACE "/usr/local/bin/originscan" "${full_BINDIR}/originscan" text "${text}")
  string(REPLACE "/usr/share/doc/originscan/" "${full_DOCDIR}/" text "${text}")
  set(out "${OS_BUILD}/dist-units/${unit}")
  file(WRITE "${out}" "${text}")
  file(INSTALL DESTINATION "${unitdir}" TYPE FILE FILES "${out}")
endforeach()
