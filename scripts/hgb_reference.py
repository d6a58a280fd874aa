#!/usr/bin/env python3
"""scikit-learn's HistGradientBoostingClassifier on the train/test split that `workbench bench synth-quality` scores
its boosted-tree TRTR on (the same rows, written by the command to temporary CSVs), so the Java model's real-data
ceiling can be checked against an independent, well-kept implementation in the same invocation.

Usage: hgb_reference.py SPEC.json, SPEC = {"train": CSV, "test": CSV, "target": COL, "categorical": [COL...],
"seed": N}. Categorical columns are pandas categories (HistGradientBoostingClassifier's native categorical support,
categories seen in train); the others numbers; empty cells missing. Default hyper-parameters (100 rounds, learning rate
0.1, 31 leaves; early stopping off below 10,000 rows). Prints one JSON line: accuracy, macro_f1, sklearn version.
Needs pandas and scikit-learn.
"""
import json
import sys

import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, f1_score


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    train = pd.read_csv(spec['train'], dtype=str, keep_default_na=False)
    test = pd.read_csv(spec['test'], dtype=str, keep_default_na=False)
    target = spec['target']
    categorical = set(spec['categorical'])
    features = [c for c in train.columns if c != target]
    for c in features:
        if c in categorical:
            kinds = pd.CategoricalDtype(sorted(set(train[c]) - {''}))
            train[c] = train[c].replace('', None).astype(kinds)
            test[c] = test[c].replace('', None).astype(kinds)  # unseen categories become missing
        else:
            train[c] = pd.to_numeric(train[c].replace('', None))
            test[c] = pd.to_numeric(test[c].replace('', None))
    model = HistGradientBoostingClassifier(categorical_features='from_dtype', random_state=spec['seed'])
    model.fit(train[features], train[target])
    predicted = model.predict(test[features])
    print(json.dumps({'accuracy': accuracy_score(test[target], predicted),
                      'macro_f1': f1_score(test[target], predicted, average='macro'),
                      'sklearn': sklearn.__version__, 'train_rows': len(train), 'test_rows': len(test)}))


if __name__ == '__main__':
    main()
