#!/usr/bin/env python3
"""SDMetrics' own numbers for its single-table demo (student_placements), the golden values SdmetricsDemoTest and
EvaluateSyntheticSdmetricsTest compare workbench with. Runs offline: the demo CSVs and metadata ship inside the
sdmetrics package (sdmetrics/demos/single_table); a copy of them is in
workbench/src/test/resources/sdmetrics-demo (MIT, see DATA_CARD.md there).

Writes JSON (stdout, or the file named by the first argument) with, for both pair-trend modes (SDMetrics >= 0.27
thresholds 0.5 / 0.3, and thresholds 0 = every pair):

- "quality_report": QualityReport.generate(real, synthetic, metadata) exactly as SDMetrics ships it: property scores,
  the overall score, and the per-column and per-pair details. SDMetrics 0.29's ColumnPairTrends bins a numeric column
  of each table by that table's own histogram edges (workbench --pair-binning own_edges).
- "real_edges": the same pairs scored by SDMetrics' metric classes directly, ContingencySimilarity with
  continuous_column_names (utils.discretize_column: the real column's 10 edges, outer ones opened to +-inf, both
  tables cut by them) and CorrelationSimilarity (workbench's default --pair-binning real_edges).

Needs sdmetrics (pip install sdmetrics; it brings pandas, numpy, scipy, scikit-learn, copulas, plotly).
"""
import itertools
import json
import sys
import warnings

import numpy as np
import pandas as pd

import sdmetrics
from sdmetrics.column_pairs.statistical import ContingencySimilarity, CorrelationSimilarity
from sdmetrics.demos import load_demo
from sdmetrics.reports.single_table import QualityReport

TABLE = 'student_placements'
MODES = {'thresholded': (0.5, 0.3), 'all_pairs': (0.0, 0.0)}


def finite(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) or pd.isna(x) else float(x)


def report(real, synthetic, meta, corr_threshold, assoc_threshold):
    r = QualityReport()
    r.real_correlation_threshold = corr_threshold
    r.real_association_threshold = assoc_threshold
    r.num_rows_subsample = None
    r.generate(real, synthetic, meta, verbose=False)
    props = r.get_properties().set_index('Property')['Score']
    shapes = r.get_details('Column Shapes')
    pairs = r.get_details('Column Pair Trends')
    return {
        'column_shapes': finite(props['Column Shapes']),
        'column_pair_trends': finite(props['Column Pair Trends']),
        'score': finite(r.get_score()),
        'columns': [{'column': c, 'metric': m, 'score': finite(s)}
                    for c, m, s in zip(shapes['Column'], shapes['Metric'], shapes['Score'])],
        'pairs': [{'column_a': a, 'column_b': b, 'metric': m, 'score': finite(s),
                   'meets_threshold': bool(t) if not pd.isna(t) else False}
                  for a, b, m, s, t in zip(pairs['Column 1'], pairs['Column 2'], pairs['Metric'], pairs['Score'],
                                           pairs['Meets Threshold?'])],
    }


def numeric_view(frame, columns):
    """Datetimes as numbers (nanoseconds), as the report's own preprocessing does."""
    out = frame.copy()
    for name, meta in columns.items():
        if meta['sdtype'] == 'datetime':
            out[name] = pd.to_numeric(pd.to_datetime(out[name], format=meta.get('datetime_format')))
            out.loc[frame[name].isna(), name] = np.nan
    return out


def real_edges(real, synthetic, columns, corr_threshold, assoc_threshold):
    shape = {'numerical': 'continuous', 'datetime': 'continuous', 'categorical': 'discrete', 'boolean': 'discrete'}
    real_n = numeric_view(real, columns)
    syn_n = numeric_view(synthetic, columns)
    pairs = []
    for a, b in itertools.combinations([c for c in columns if columns[c]['sdtype'] in shape], 2):
        sa, sb = shape[columns[a]['sdtype']], shape[columns[b]['sdtype']]
        if sa == sb == 'continuous':
            metric = 'CorrelationSimilarity'
            try:
                out = CorrelationSimilarity.compute_breakdown(real_n[[a, b]], syn_n[[a, b]],
                                                              real_correlation_threshold=corr_threshold)
                score, meets = out['score'], corr_threshold <= 0 or abs(out['real']) > corr_threshold
            except Exception:  # a constant column: SDMetrics lists the pair with no score
                score, meets = np.nan, False
        else:
            metric = 'ContingencySimilarity'
            continuous = [c for c, s in ((a, sa), (b, sb)) if s == 'continuous']
            out = ContingencySimilarity.compute_breakdown(real_n[[a, b]], syn_n[[a, b]],
                                                          continuous_column_names=continuous,
                                                          real_association_threshold=assoc_threshold)
            score = out['score']
            meets = assoc_threshold <= 0 or (not np.isnan(out['real_association'])
                                             and out['real_association'] > assoc_threshold)
        pairs.append({'column_a': a, 'column_b': b, 'metric': metric, 'score': finite(score),
                      'meets_threshold': bool(meets)})
    counted = [p['score'] for p in pairs if p['meets_threshold'] and p['score'] is not None]
    return {'column_pair_trends': float(np.mean(counted)) if counted else None, 'pairs': pairs}


def main():
    warnings.filterwarnings('ignore')
    real, synthetic, metadata = load_demo(modality='single_table')
    real = real[TABLE] if isinstance(real, dict) else real
    synthetic = synthetic[TABLE] if isinstance(synthetic, dict) else synthetic
    meta = metadata['tables'][TABLE]
    columns = {c: m for c, m in meta['columns'].items() if c != meta.get('primary_key') and m['sdtype'] != 'id'}
    out = {'sdmetrics_version': sdmetrics.__version__, 'table': TABLE, 'real_rows': len(real),
           'synthetic_rows': len(synthetic), 'modes': {}}
    for mode, (corr, assoc) in MODES.items():
        out['modes'][mode] = {'real_correlation_threshold': corr, 'real_association_threshold': assoc,
                              'quality_report': report(real, synthetic, meta, corr, assoc),
                              'real_edges': real_edges(real, synthetic, columns, corr, assoc)}
    text = json.dumps(out, indent=1, sort_keys=False) + '\n'
    if len(sys.argv) > 1:
        with open(sys.argv[1], 'w') as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    main()
