# gpuenv_layer(NAME [DEPS ...]) — builds src/NAME/*.cpp (minus *_test.cpp) into the static library
# gpuenv_NAME and, when tests are on, src/NAME/*_test.cpp into one GoogleTest binary NAME_test.
# Files are globbed so a new parser is one new file pair, not an edit to a shared list.
function(gpuenv_layer name)
  cmake_parse_arguments(L "" "" "DEPS;TEST_DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  if(tests)
    list(REMOVE_ITEM srcs ${tests})
  endif()
  if(NOT srcs)
    # A layer with headers only so far: an INTERFACE library keeps the dependency graph honest.
    add_library(gpuenv_${name} INTERFACE)
    target_include_directories(gpuenv_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(gpuenv_${name} INTERFACE ${L_DEPS})
  else()
    add_library(gpuenv_${name} STATIC ${srcs})
    target_include_directories(gpuenv_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(gpuenv_${name} PUBLIC ${L_DEPS} PRIVATE gpuenv_warnings)
  endif()
  if(GPUENV_BUILD_TESTS AND tests)
    add_executable(${name}_test ${tests})
    target_link_libraries(${name}_test PRIVATE gpuenv_${name} ${L_TEST_DEPS} gpuenv_testsupport
                          GTest::gtest_main gpuenv_warnings)
    gtest_discover_tests(${name}_test
      PROPERTIES LABELS "unit" ENVIRONMENT "GPUENV_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
      DISCOVERY_TIMEOUT 30)
  endif()
endfunction()
