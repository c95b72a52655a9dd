// Package emu holds the machinery every service of the ivslocal emulator
// shares: the environment (region, account, clock), AWS-shaped errors for the
// restJson1 protocol, injected faults, the call log, resource tags, the
// EventBridge-shaped event bus and the metric sink through which simulated
// streams publish CloudWatch data.
//
// It is internal to ivslocal; each service package (IVS, chat, real-time,
// CloudWatch) builds on it and the root package wires them together.
package emu
