-- The region filter: true when {regions:Array(String)} is empty (all regions) or names the row's region (a
-- province such as CN-SH) or its country.
-- args: region_column, country_column
empty({regions:Array(String)}) OR region_column IN {regions:Array(String)} OR country_column IN {regions:Array(String)}
