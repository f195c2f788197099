// The library's public face (package main export).
export {};
