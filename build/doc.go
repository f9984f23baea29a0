// Package build holds the Dockerfiles of the operator, the guarder and the RM emulator. Its
// test checks what can be checked without a container engine: that each Dockerfile's Go build
// finds all its packages in the context .dockerignore leaves, and that the images keep the
// promised users.
package build
