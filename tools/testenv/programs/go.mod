module qed-testenv/programs

go 1.26
