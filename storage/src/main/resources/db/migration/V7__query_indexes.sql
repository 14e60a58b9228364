-- Filters on a parameter find the runs with that parameter's value in range through these, instead
-- of looking the parameter up run by run.
CREATE INDEX run_params_name_num ON run_params (name, num_value);
CREATE INDEX run_params_name_text ON run_params (name, text_value);
