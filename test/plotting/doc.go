// Package plotting draws the simulator's and the demo's figures as PNG with the standard library only: a
// canvas with lines, filled rectangles and a 5x7 bitmap font, and two plot kinds (lines over
// time, bars per strategy). Output is byte-for-byte deterministic for the same input.
package plotting
