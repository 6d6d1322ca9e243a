global using Jint;
