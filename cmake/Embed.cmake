# gpuenv_embed(TARGET VAR FILES...) — generates a C++ source that holds each file's bytes, so the
# knowledge base and the message catalog travel inside the binary (design.md §7).
# The generated function `gpuenv::embedded::VAR()` returns a span of {name, contents} pairs.
function(gpuenv_embed target var)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embed_${var}.cpp)
  list(SORT ARGN)
  string(REPLACE ";" "|" joined "${ARGN}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DVAR=${var} -DFILES=${joined} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${var}"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
