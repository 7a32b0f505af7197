"""Calendar periods, China's working days and the P3 call windows."""
