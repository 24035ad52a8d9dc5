# CPACK_PRE_BUILD_SCRIPTS: runs after CPack staged the package's files, before it builds the .deb.
# Strips them as debhelper's dh_strip does: executables lose their symbols and the .comment and
# .note sections, static libraries their debug information (they keep the symbols a link needs);
# -D leaves no time stamps or owners in the archives. The build tree keeps the debug information.
if(NOT CPACK_HOMEVISIT_STRIP)
  message(FATAL_ERROR "strip.cmake: no strip program (CMAKE_STRIP) to strip the package's files")
endif()
file(GLOB_RECURSE executables LIST_DIRECTORIES false "${CPACK_TEMPORARY_DIRECTORY}/*/usr/bin/*")
file(GLOB_RECURSE archives LIST_DIRECTORIES false "${CPACK_TEMPORARY_DIRECTORY}/*.a")
if(NOT executables OR NOT archives)
  message(FATAL_ERROR "strip.cmake: found no executables or no static libraries in ${CPACK_TEMPORARY_DIRECTORY}")
endif()
foreach(file IN LISTS executables)
  execute_process(COMMAND ${CPACK_HOMEVISIT_STRIP} --remove-section=.comment --remove-section=.note ${file}
                  COMMAND_ERROR_IS_FATAL ANY)
endforeach()
foreach(file IN LISTS archives)
  execute_process(COMMAND ${CPACK_HOMEVISIT_STRIP} --strip-debug --remove-section=.comment --remove-section=.note
                          --enable-deterministic-archives ${file}
                  COMMAND_ERROR_IS_FATAL ANY)
endforeach()
