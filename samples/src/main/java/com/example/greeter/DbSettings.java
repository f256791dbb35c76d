package com.example.greeter;

import java.time.Duration;

/** Bound as one record: url, pool size and timeout always come from the same snapshot. */
public record DbSettings(String url, String user, int poolSize, Duration timeout) {}
