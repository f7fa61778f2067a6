# One INTERFACE target carries the warning flags; every gpuenv target links it.
add_library(gpuenv_warnings INTERFACE)
target_compile_options(gpuenv_warnings INTERFACE
  -Wall -Wextra            # the baseline
  -Wpedantic               # keep to ISO C++20
  -Wshadow                 # a shadowed name in a parser is a classic source of wrong values
  -Wnon-virtual-dtor       # seams (FileSystem, CommandRunner) are used through base pointers
  -Wold-style-cast         # casts in binary readers must be visible and deliberate
  -Wcast-align
  -Woverloaded-virtual
  -Wnull-dereference
  -Wimplicit-fallthrough
  -Wformat=2
)
if(GPUENV_WERROR)
  target_compile_options(gpuenv_warnings INTERFACE -Werror)
endif()
