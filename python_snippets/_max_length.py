max_length = __SEQ_LEN__  # longer samples are cut here: the memory estimate assumed this length
# >>> if DATA_CHECK
if globals().get("USE_SUGGESTED_LENGTH") and globals().get("suggested_length"):
    # You opted in in the data check cell: train at the length that covers 95 % of
    # your samples instead of the plan's.
    max_length = suggested_length
    print(__SUGGESTED_NOTE__.format(length=max_length))
# <<< DATA_CHECK
