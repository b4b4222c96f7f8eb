#!/usr/bin/env python3
"""Runs Splink (DuckDB backend) as its FEBRL example recommends and writes scored pairs and
clusters for bench/resolve/evaluate.py.

usage: splink_run.py dedupe INPUT.csv OUT_PREFIX
       splink_run.py link LEFT.csv RIGHT.csv OUT_PREFIX
Writes OUT_PREFIX.pairs.csv (left,right,match_probability, all pairs with p >= 0.01) and, for
dedupe, OUT_PREFIX.clusters.csv (record_id,cluster_id; connected components at 0.5).
"""
import sys
import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def load(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.columns = [c.strip() for c in df.columns]
    df = df.apply(lambda s: s.str.strip())
    # Same courtesy normalisation Vigil does itself: YYYY-MM-DD -> YYYYMMDD.
    df["date_of_birth"] = df["date_of_birth"].str.replace("-", "", regex=False)
    return df.replace({"": None})


def settings(link_type, columns):
    # Comparisons and blocking rules of Splink's FEBRL4 example ("febrl4.ipynb").
    comparisons = [
        cl.NameComparison("given_name"),
        cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
    ]
    rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    if "phone" in columns:
        comparisons.append(cl.ExactMatch("phone").configure(term_frequency_adjustments=True))
        comparisons.append(cl.EmailComparison("email"))
        comparisons.append(cl.LevenshteinAtThresholds("address_1", [2]))
        rules.append(block_on("phone"))
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=rules,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=False,
    )


def main():
    mode = sys.argv[1]
    db = DuckDBAPI()
    if mode == "dedupe":
        df = load(sys.argv[2])
        out = sys.argv[3]
        inputs = db.register(df)
        cols = df.columns
        link_type = "dedupe_only"
    else:
        a, b = load(sys.argv[2]), load(sys.argv[3])
        out = sys.argv[4]
        inputs = [db.register(a, dataset_display_name="df_left"), db.register(b, dataset_display_name="df_right")]
        cols = a.columns
        link_type = "link_only"
    linker = Linker(inputs, settings(link_type, cols), log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    pred = linker.inference.predict(threshold_match_probability=0.01)
    pdf = pred.as_pandas_dataframe()
    pdf[["rec_id_l", "rec_id_r", "match_probability"]].to_csv(out + ".pairs.csv", index=False)
    if mode == "dedupe":
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.5).as_pandas_dataframe()
        clusters[["rec_id", "cluster_id"]].to_csv(out + ".clusters.csv", index=False)


if __name__ == "__main__":
    main()
