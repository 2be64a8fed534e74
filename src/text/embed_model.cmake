# Writes a C++ file defining kEmbeddedLinesModel / kEmbeddedLinesModelSize
# with the bytes of IN (the trained line model), so the installed library
# needs no model file. Run as: cmake -DIN=<model> -DOUT=<file.cc> -P embed_model.cmake
if(EXISTS "${IN}")
  file(READ "${IN}" hex HEX)
  file(SIZE "${IN}" size)
else()
  set(hex "")
  set(size 0)
endif()
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${hex}")
string(REGEX REPLACE "(('[^']*',){16})" "\\1\n" body "${body}")
file(WRITE "${OUT}.tmp"
"// Generated from ${IN} by src/text/embed_model.cmake; do not edit.\n"
"namespace winnow {\n"
"extern const char kEmbeddedLinesModel[];\n"
"extern const unsigned long kEmbeddedLinesModelSize;\n"
"const char kEmbeddedLinesModel[] = {\n${body}0};\n"
"const unsigned long kEmbeddedLinesModelSize = ${size};\n"
"}  // namespace winnow\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
