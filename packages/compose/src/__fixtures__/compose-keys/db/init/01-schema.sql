CREATE TABLE visits (at timestamptz);
