// One accumulator requantized to an 8-bit output, bit-exact to
// docs/numerics.md "Requantization" (onnxruntime's MLAS arithmetic):
//   f = fp32(acc) (round to nearest even), p = fp32(f * scale) (the same),
//   y = clamp(rne(p) + zp, lo, hi), lo raised to zp under ReLU.
// No float unit: the int32 is normalized to a 24-bit mantissa with its own
// rounding, multiplied by the scale's mantissa (24 x 24 bits), rounded to 24
// bits again, and only then to an integer. The float32 exponent range is not
// modelled because it cannot matter here: a product below 2^-126 (subnormal)
// is below 0.5 and rounds to 0 whatever its float32 rounding, and one above
// 2^9 saturates either way (|lo - zp|, |hi - zp| <= 255). Combinational.
module af_requant (
  input  logic [31:0] acc_i,     // the accumulator, int32 (two's complement)
  input  logic [31:0] scale_i,   // float32 bits: a positive normal number
  input  logic [7:0]  zp_i,      // output zero point (int8 or uint8 as signed_i)
  input  logic        signed_i,  // int8 output (else uint8)
  input  logic        relu_i,    // ReLU: the lower limit is the zero point
  output logic [7:0]  q_o
);
  // int32 -> magnitude and sign (|-2^31| = 2^31 fits 32 bits unsigned).
  logic        neg;
  logic [31:0] mag;
  assign neg = acc_i[31];
  assign mag = neg ? 32'(~acc_i + 32'd1) : acc_i;

  // Position of the leading one (0 when mag is 0, handled below).
  logic [4:0] msb;
  always_comb begin : comb_msb
    msb = '0;
    for (int i = 0; i < 32; i++) if (mag[i]) msb = 5'(i);
  end

  // fp32(acc): a 24-bit mantissa m (leading one at bit 23) and exponent e
  // (value m * 2^(e - 23)), rounded to nearest even when msb > 23.
  logic [23:0] m_trunc, m_round;
  logic [7:0]  e_acc;
  logic        rnd_a, sticky_a, carry_a;
  always_comb begin : comb_to_fp32
    logic [55:0] wide;
    logic [4:0]  sh;
    sh       = (msb > 5'd23) ? 5'(msb - 5'd23) : 5'd0;
    // mag placed so that bits [55:32] are the mantissa before rounding and
    // bits [31:0] what the right shift drops.
    wide     = (msb > 5'd23) ? ({24'd0, mag} << (6'd32 - 6'(sh))) : ({24'd0, mag} << (6'd32 + 6'(5'd23 - msb)));
    m_trunc  = wide[55:32];
    rnd_a    = wide[31];
    sticky_a = |wide[30:0];
    {carry_a, m_round} = 25'(m_trunc) + 25'(rnd_a && (sticky_a || m_trunc[0]));
    e_acc    = 8'(msb) + 8'(carry_a);
  end
  logic [23:0] m_acc;
  assign m_acc = carry_a ? 24'h800000 : m_round;

  // The scale: mantissa with its hidden one, unbiased exponent.
  logic [23:0]       m_s;
  logic signed [9:0] e_s;
  assign m_s = {1'b1, scale_i[22:0]};
  logic unused_sign;
  assign unused_sign = scale_i[31];  // a positive scale: the sign bit is 0 (checked by the host side)
  assign e_s = 10'($signed({2'b00, scale_i[30:23]}) - 10'sd127);

  // fp32(f * scale): the 48-bit product rounded to 24 bits, exponent E
  // (value mp * 2^(E - 23)).
  logic [47:0]       prod;
  logic [23:0]       mp_trunc, mp_round, mp;
  logic              rnd_p, sticky_p, carry_p;
  logic signed [10:0] e_p;
  assign prod = 48'(m_acc) * 48'(m_s);
  always_comb begin : comb_product
    if (prod[47]) begin
      mp_trunc = prod[47:24];
      rnd_p    = prod[23];
      sticky_p = |prod[22:0];
    end else begin
      mp_trunc = prod[46:23];
      rnd_p    = prod[22];
      sticky_p = |prod[21:0];
    end
    {carry_p, mp_round} = 25'(mp_trunc) + 25'(rnd_p && (sticky_p || mp_trunc[0]));
    mp  = carry_p ? 24'h800000 : mp_round;
    e_p = 11'($signed({3'b000, e_acc})) + 11'(e_s) + 11'(prod[47]) + 11'(carry_p);
  end

  // rne(|p|) saturated at 512 (any |p| >= 512 is past both limits).
  logic [9:0] r;
  always_comb begin : comb_round
    logic [9:0]  ipart;  // < 512 here (|p| < 2^9)
    logic [4:0]  fsh;
    logic        rb, sb;
    r     = '0;
    fsh   = 5'd24;
    ipart = '0;
    rb    = 1'b0;
    sb    = 1'b0;
    if (mag == '0 || e_p < -11'sd1) begin
      r = '0;  // |p| < 0.5
    end else if (e_p > 11'sd8) begin
      r = 10'd512;
    end else begin
      fsh   = 5'(11'sd23 - e_p);  // 15 .. 24 fraction bits
      ipart = 10'(mp >> fsh);
      rb    = mp[fsh - 5'd1];
      sb    = |(mp & ((24'd1 << (fsh - 5'd1)) - 24'd1));
      r     = ipart + 10'(rb && (sb || ipart[0]));
    end
  end

  // Sign, zero point, limits.
  logic signed [11:0] v, lo, hi, zp;
  assign zp = signed_i ? 12'($signed(zp_i)) : 12'({4'd0, zp_i});
  assign lo = signed_i ? -12'sd128 : 12'sd0;
  assign hi = signed_i ? 12'sd127 : 12'sd255;
  always_comb begin : comb_clamp
    logic signed [11:0] low;
    low = (relu_i && zp > lo) ? zp : lo;
    // A width cast after a unary minus reads as a negative size to some tools: subtract instead.
    v   = (neg ? 12'sd0 - 12'($signed({2'b00, r})) : 12'($signed({2'b00, r}))) + zp;
    if (v < low) v = low;
    if (v > hi) v = hi;
  end
  assign q_o = v[7:0];
endmodule
