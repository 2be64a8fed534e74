#include <cstdio>
int main() { std::puts("winnow"); return 0; }
