// A convolution layer's sizes, shared by the designs that run convolutions
// (rs, ws natively) and the network layers: C x H x W inputs, M filters of
// R x S, stride U, zero padding P, E x F outputs (per image), N images.

/** One image's layer. */
export interface ConvGeom {
  C: number;
  H: number;
  W: number;
  M: number;
  R: number;
  S: number;
  U: number;
  P: number;
  E: number;
  F: number;
}

/** The layer over N images. */
export interface ConvShape extends ConvGeom {
  N: number;
}
