#pragma once
// Trade-offs as text for papers and scripts: a LaTeX booktabs table of operating points and CSV of whole curves.
// Numbers are written locale-independently ('.' decimal point whatever the application's locale).
#include <span>
#include <string>
#include <string_view>

#include "core/analysis/operating_points.h"
#include "core/analysis/tradeoff_point.h"

namespace dynamax {

// Escapes LaTeX's special characters (\ & % $ # _ { } ~ ^) in running text.
std::string latex_escape(std::string_view text);

// A booktabs tabular (\toprule … \midrule … \bottomrule), one row per point: run, exit rule, τ (threshold curves
// only), mean depth, savings in blocks and in FLOPs (%), consistency, accuracy and answer agreement (%).
// Values that do not apply are "--".
std::string latex_operating_points(std::span<const OperatingPoint> rows);

// CSV (RFC 4180) of every point of every curve, with a header line:
// run,curve,kind,parameter,mean_depth,block_fraction,flop_fraction,consistency,accuracy,answer_agreement,
// executed_flops,full_flops. Numbers in shortest round-trip form ("inf", "-inf"); NaN as an empty field.
std::string curves_csv(std::span<const TradeoffCurve> curves);

}  // namespace dynamax
