// The owner of the precompiled headers that every module library and test reuses
// (common/CMakeLists.txt, tt_pch_modules and tt_pch_tests). No code.
