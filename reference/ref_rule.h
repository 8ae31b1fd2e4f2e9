/* Rule tags of the reference stack.
 *
 * Every segment the reference emits, and every decision to drop a segment
 * or to change a connection's state, carries one `enum ref_rule`: the rule
 * of RFC 9293 (or of a companion RFC) that produced it. The differ quotes
 * the rule when the stack under test does something else, so the table
 * below is written for people: a stable id, the section, the requirement
 * id of RFC 9293 Appendix B where one exists, and one sentence.
 *
 * Ids are stable strings of the form "<section>-<what>", e.g.
 * "3.10.7.4-rst-challenge-ack"; scripts may cite them in
 * `// @requirement` lines. New rules are appended where they belong in the
 * list; the numeric enum values are not stable across versions, the ids are.
 */
#ifndef TCPCHECK_REFERENCE_REF_RULE_H
#define TCPCHECK_REFERENCE_REF_RULE_H

/* X(NAME, id, section, requirement or NULL, text) */
#define REF_RULES(X)                                                                            \
	X(NONE, "none", "", NULL, "no rule (no decision taken)")                                 \
	/* ---- input validation (before any connection is looked up) ---- */                    \
	X(DROP_BAD_CSUM, "3.1-bad-checksum", "§3.1", "MUST-3",                                    \
	  "a segment with a bad checksum is dropped silently")                                    \
	X(DROP_MALFORMED, "3.1-malformed", "§3.1", NULL,                                          \
	  "a packet that does not decode as IP+TCP is dropped")                                    \
	X(DROP_BAD_OPTION, "3.1-illegal-option-length", "§3.1", "MUST-7",                         \
	  "an option with an illegal length (0, 1, past the header, wrong fixed size) makes the " \
	  "segment unusable: it is dropped")                                                      \
	X(DROP_BCAST_DST, "3.9.2.3-broadcast-destination", "§3.9.2.3", "MUST-57",                 \
	  "a segment addressed to a broadcast or multicast address is dropped silently")           \
	X(DROP_BAD_SRC, "3.9.2.3-invalid-source", "§3.9.2.3", "MUST-63",                          \
	  "a segment from an invalid source (broadcast, multicast, unspecified, loopback) is "    \
	  "dropped silently")                                                                      \
	X(DROP_NOT_LOCAL, "3.9.2-not-local", "§3.9.2", NULL,                                      \
	  "a segment addressed to none of the stack's addresses is not for this host")             \
	X(DROP_IP_FRAGMENT, "3.9.2-fragment", "§3.9.2", NULL,                                     \
	  "IP fragments are not reassembled by the reference; dropped")                            \
	/* ---- CLOSED: no TCB ---- */                                                            \
	X(CLOSED_RST_FOR_ACK, "3.10.7.1-rst-for-ack", "§3.10.7.1", NULL,                          \
	  "no connection: a segment with ACK is answered <SEQ=SEG.ACK><CTL=RST>")                 \
	X(CLOSED_RST_FOR_NON_ACK, "3.10.7.1-rst-for-non-ack", "§3.10.7.1", NULL,                  \
	  "no connection: a segment without ACK is answered "                                     \
	  "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>")                                             \
	X(CLOSED_DROP_RST, "3.10.7.1-drop-rst", "§3.10.7.1", NULL,                                \
	  "no connection: an incoming RST is discarded")                                          \
	/* ---- LISTEN ---- */                                                                    \
	X(LISTEN_DROP_RST, "3.10.7.2-drop-rst", "§3.10.7.2", NULL,                                \
	  "LISTEN: an incoming RST is ignored")                                                    \
	X(LISTEN_RST_FOR_ACK, "3.10.7.2-rst-for-ack", "§3.10.7.2", NULL,                          \
	  "LISTEN: any ACK is bad; answer <SEQ=SEG.ACK><CTL=RST>")                                \
	X(LISTEN_SYN_ACK, "3.10.7.2-syn-ack", "§3.10.7.2", "MUST-14",                             \
	  "LISTEN: a SYN is answered <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; SYN-RECEIVED")          \
	X(LISTEN_DROP_OTHER, "3.10.7.2-drop-other", "§3.10.7.2", NULL,                            \
	  "LISTEN: a segment without SYN, ACK or RST is dropped")                                 \
	X(LISTEN_BACKLOG_FULL, "3.9.1.1-backlog-full", "§3.9.1.1", NULL,                          \
	  "LISTEN: the backlog is full; the SYN is dropped (the peer retransmits)")               \
	X(LISTEN_NO_RESOURCES, "3.10.7.2-no-resources", "§3.10.7.2", NULL,                        \
	  "LISTEN: no room for a new connection; the SYN is dropped")                             \
	X(SYN_TEXT_NOT_QUEUED, "3.10.7.2-syn-text", "§3.10.7.2", NULL,                            \
	  "text or FIN carried on a SYN is not acknowledged nor delivered; the peer sends it "    \
	  "again after the handshake (profile syn_text_queued off)")                               \
	X(SYN_TEXT_QUEUED, "3.10.7.2-syn-text-queued", "§3.10.7.2", NULL,                         \
	  "text or FIN carried on a SYN is queued for processing later, once the connection is "  \
	  "ESTABLISHED")                                                                           \
	X(SYN_TEXT_PROCESSED, "3.10.7.4-syn-text-processed", "§3.10.7.4", NULL,                   \
	  "the handshake's ACK made the connection ESTABLISHED: the text queued from the SYN is "  \
	  "processed now and acknowledged")                                                        \
	/* ---- SYN-SENT ---- */                                                                  \
	X(OPEN_SYN, "3.10.1-syn", "§3.10.1", "MUST-14",                                           \
	  "active OPEN: <SEQ=ISS><CTL=SYN> with the MSS option; SYN-SENT")                         \
	X(SYN_SENT_RST_FOR_BAD_ACK, "3.10.7.3-rst-for-bad-ack", "§3.10.7.3", NULL,                \
	  "SYN-SENT: SEG.ACK =< ISS or SEG.ACK > SND.NXT: send <SEQ=SEG.ACK><CTL=RST>, drop")     \
	X(SYN_SENT_DROP_RST_BAD_ACK, "3.10.7.3-drop-rst-bad-ack", "§3.10.7.3", NULL,              \
	  "SYN-SENT: a RST whose ACK is unacceptable is dropped")                                  \
	X(SYN_SENT_BAD_ACK_RETRANSMIT, "3.10.7.3-bad-ack-retransmit", "§3.10.7.3", NULL,          \
	  "SYN-SENT: after an unacceptable ACK the SYN is retransmitted soon, the peer may have "  \
	  "lost state (profile syn_sent_bad_ack_retransmit)")                                      \
	X(SYN_SENT_RST_REFUSED, "3.10.7.3-rst-refused", "§3.10.7.3", NULL,                        \
	  "SYN-SENT: a RST with an acceptable ACK: connection refused, CLOSED")                    \
	X(SYN_SENT_DROP_RST_NO_ACK, "3.10.7.3-drop-rst-no-ack", "§3.10.7.3", NULL,                \
	  "SYN-SENT: a RST without ACK is dropped")                                                \
	X(SYN_SENT_ESTABLISHED, "3.10.7.3-established", "§3.10.7.3", NULL,                        \
	  "SYN-SENT: SYN,ACK acknowledging our SYN: ESTABLISHED, send "                           \
	  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>")                                                   \
	X(SYN_SENT_SIMULTANEOUS_OPEN, "3.10.7.3-simultaneous-open", "§3.10.7.3", "MUST-10",       \
	  "SYN-SENT: a SYN without ACK: SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>")  \
	X(SYN_SENT_DROP_NO_SYN, "3.10.7.3-drop-no-syn-no-rst", "§3.10.7.3", NULL,                 \
	  "SYN-SENT: neither SYN nor RST: drop")                                                   \
	/* ---- synchronized states, first: sequence number ---- */                               \
	X(SEQ_UNACCEPTABLE_ACK, "3.10.7.4-unacceptable-ack", "§3.10.7.4", NULL,                  \
	  "segment fails the acceptability test (Table 6): send "                                 \
	  "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop")                                             \
	X(SEQ_UNACCEPTABLE_RST_DROP, "3.10.7.4-unacceptable-rst", "§3.10.7.4", NULL,              \
	  "an unacceptable segment with RST is dropped silently")                                  \
	X(SEQ_ZERO_WINDOW_ALLOWANCE, "3.4-zero-window-rst-urg-ack", "§3.4", "MUST-66",            \
	  "zero receive window: the text is not accepted, but ACK, URG and RST are processed")    \
	X(TIME_WAIT_FIN_REACK, "3.10.7.4-time-wait-fin", "§3.10.7.4", "MUST-13",                   \
	  "TIME-WAIT: a retransmitted FIN is acknowledged and the 2 MSL timer restarted")          \
	X(TIME_WAIT_TEXT_ACK, "3.10.7.4-time-wait-ack", "§3.10.7.4", NULL,                         \
	  "TIME-WAIT: an acceptable segment carrying text is acknowledged and the 2 MSL timer "   \
	  "restarted (fifth check); the text itself is ignored (seventh)")                         \
	X(TIME_WAIT_ACK_ANY, "3.10.7.4-time-wait-ack-any", "§3.10.7.4", NULL,                     \
	  "TIME-WAIT: a segment not exactly at RCV.NXT, a bare ACK too, is acknowledged and the 2 " \
	  "MSL timer restarted (profile time_wait_ack_any)")                                       \
	/* ---- second: RST ---- */                                                               \
	X(RST_OUT_OF_WINDOW, "3.10.7.4-rst-out-of-window", "§3.10.7.4", NULL,                     \
	  "RST outside the receive window: dropped silently (RFC 5961 §3.2 check 1)")            \
	X(RST_CHALLENGE_ACK, "3.10.7.4-rst-challenge-ack", "§3.10.7.4", NULL,                     \
	  "RST in the window but not at RCV.NXT: challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" \
	  " (RFC 5961 §3.2 check 3)")                                                              \
	X(RST_SYN_RCVD_PASSIVE, "3.10.7.4-rst-syn-received-passive", "§3.10.7.4", "MUST-11",      \
	  "SYN-RECEIVED from a passive OPEN: a valid RST returns the connection to LISTEN "       \
	  "(the user is not told)")                                                                \
	X(RST_SYN_RCVD_ACTIVE, "3.10.7.4-rst-syn-received-active", "§3.10.7.4", "MUST-11",        \
	  "SYN-RECEIVED from an active OPEN: a valid RST means connection refused; CLOSED")       \
	X(RST_RESET, "3.10.7.4-rst-reset", "§3.10.7.4", "MUST-12",                                \
	  "ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: a valid RST resets the connection; queues are " \
	  "flushed, the user gets \"connection reset\"")                                          \
	X(RST_CLOSE, "3.10.7.4-rst-close", "§3.10.7.4", NULL,                                     \
	  "CLOSING, LAST-ACK, TIME-WAIT: a valid RST closes the connection")                       \
	/* ---- fourth: SYN ---- */                                                               \
	X(SYN_SYN_RCVD_PASSIVE, "3.10.7.4-syn-syn-received-passive", "§3.10.7.4", "MUST-11",      \
	  "SYN-RECEIVED from a passive OPEN: a SYN returns the connection to LISTEN")             \
	X(SYN_RCVD_SYN_RST, "3.10.7.4-syn-syn-received-rst", "§3.10.7.4", NULL,                   \
	  "SYN-RECEIVED from a passive OPEN: a SYN in the window is answered with a RST and the " \
	  "connection deleted (RFC 793; profile syn_rcvd_syn_rst)")                                \
	X(SYN_CHALLENGE_ACK, "3.10.7.4-syn-challenge-ack", "§3.10.7.4", NULL,                     \
	  "SYN in a synchronized state: challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop " \
	  "(RFC 5961 §4.2)")                                                                       \
	X(SYN_IN_WINDOW_RESET, "3.10.7.4-syn-in-window-reset", "§3.10.7.4", NULL,                 \
	  "SYN in the window (RFC 793 behaviour): send a reset and abort the connection")        \
	/* ---- fifth: ACK ---- */                                                                \
	X(ACK_OFF_DROP, "3.10.7.4-ack-off", "§3.10.7.4", NULL,                                    \
	  "a segment without ACK is dropped in a synchronized state")                             \
	X(ACK_OUT_OF_RANGE, "3.10.7.4-ack-range", "§3.10.7.4", "MAY-12",                          \
	  "SEG.ACK outside [SND.UNA-MAX.SND.WND, SND.NXT]: send an ACK, drop (RFC 5961 §5.2)")    \
	X(SYN_RCVD_ESTABLISHED, "3.10.7.4-syn-received-ack", "§3.10.7.4", NULL,                   \
	  "SYN-RECEIVED: SND.UNA < SEG.ACK =< SND.NXT: ESTABLISHED")                               \
	X(SYN_RCVD_RST_FOR_BAD_ACK, "3.10.7.4-syn-received-bad-ack", "§3.10.7.4", NULL,           \
	  "SYN-RECEIVED: an unacceptable ACK is answered <SEQ=SEG.ACK><CTL=RST>")                 \
	X(ACK_TOO_NEW, "3.10.7.4-ack-not-yet-sent", "§3.10.7.4", NULL,                            \
	  "SEG.ACK > SND.NXT acknowledges something not yet sent: send an ACK, drop")             \
	X(ACK_ADVANCE, "3.10.7.4-ack-advance", "§3.10.7.4", NULL,                                 \
	  "SND.UNA < SEG.ACK =< SND.NXT: SND.UNA advances, acknowledged data is released")       \
	X(FIN_WAIT_1_FIN_ACKED, "3.10.7.4-fin-wait-1-fin-acked", "§3.10.7.4", NULL,               \
	  "FIN-WAIT-1: our FIN is acknowledged: FIN-WAIT-2")                                       \
	X(CLOSING_FIN_ACKED, "3.10.7.4-closing-fin-acked", "§3.10.7.4", "MUST-13",                \
	  "CLOSING: our FIN is acknowledged: TIME-WAIT")                                           \
	X(CLOSING_IGNORE, "3.10.7.4-closing-ignore", "§3.10.7.4", NULL,                           \
	  "CLOSING: the ACK does not cover our FIN: the segment is ignored")                       \
	X(LAST_ACK_FIN_ACKED, "3.10.7.4-last-ack-fin-acked", "§3.10.7.4", NULL,                   \
	  "LAST-ACK: our FIN is acknowledged: CLOSED")                                             \
	X(WINDOW_SHRUNK, "3.8.6-peer-shrank-window", "§3.8.6", "MUST-34",                         \
	  "the peer moved its right window edge left; no new data is sent past it (SHLD-15)")     \
	/* ---- sixth: URG ---- */                                                                \
	X(URG_RECEIVED, "3.8.5-urgent-received", "§3.8.5", "MUST-32",                             \
	  "URG: RCV.UP advances; the user is told once per urgent sequence (MUST-30/31/62)")      \
	X(URG_IGNORED, "3.10.7.4-urg-after-fin", "§3.10.7.4", NULL,                               \
	  "URG after the peer's FIN is ignored")                                                   \
	/* ---- seventh: text ---- */                                                             \
	X(TEXT_OUT_OF_ORDER, "3.10.7.4-text-out-of-order", "§3.10.7.4", "SHLD-31",                \
	  "in-window data beyond RCV.NXT is kept for later processing")                            \
	X(TEXT_OOO_FULL, "3.10.7.4-text-out-of-order-full", "§3.10.7.4", "SHLD-31",               \
	  "the bounded out-of-order store is full: the out-of-order text is dropped")             \
	X(TEXT_IGNORED, "3.10.7.4-text-after-fin", "§3.10.7.4", NULL,                             \
	  "text after the peer's FIN is ignored")                                                  \
	X(TEXT_AFTER_CLOSE_RST, "3.6.1-data-after-close", "§3.6.1", "SHLD-3",                     \
	  "data arrives after the user closed (half-duplex close, MAY-1): send RST, data lost")   \
	/* ---- eighth: FIN ---- */                                                               \
	X(FIN_CLOSE_WAIT, "3.10.7.4-fin-close-wait", "§3.10.7.4", "MUST-12",                      \
	  "FIN in ESTABLISHED: CLOSE-WAIT; the user sees end of data")                             \
	X(FIN_CLOSING, "3.10.7.4-fin-closing", "§3.10.7.4", NULL,                                 \
	  "FIN in FIN-WAIT-1 before our FIN is acknowledged: CLOSING (simultaneous close)")      \
	X(FIN_TIME_WAIT, "3.10.7.4-fin-time-wait", "§3.10.7.4", "MUST-13",                        \
	  "FIN in FIN-WAIT-2 (or FIN-WAIT-1 with our FIN acknowledged): TIME-WAIT for 2 MSL")     \
	X(FIN_REMAIN, "3.10.7.4-fin-remain", "§3.10.7.4", NULL,                                   \
	  "FIN in CLOSE-WAIT, CLOSING, LAST-ACK: the state does not change")                       \
	X(FIN_AFTER_FIN_IGNORED, "3.10.7.4-fin-after-fin-ignored", "§3.10.7.4", NULL,             \
	  "a second FIN in CLOSE-WAIT, CLOSING, LAST-ACK is ignored, not acknowledged (profile "   \
	  "fin_after_fin_ignored)")                                                                \
	/* ---- acknowledgments we send ---- */                                                   \
	X(ACK_DELAYED, "3.8.6.3-delayed-ack", "§3.8.6.3", "MUST-40",                              \
	  "delayed ACK sent when its timer expires, less than 0.5 s after the data (SHLD-18)")    \
	X(ACK_HOLD, "3.8.6.3-delayed-ack-start", "§3.8.6.3", "SHLD-18",                         \
	  "accepted text (or a FIN) starts the delayed-ACK timer: the ACK waits (SHLD-18)")        \
	X(ACK_QUICK, "3.8.6.3-quick-ack", "§3.8.6.3", "SHLD-18",                                  \
	  "quick-ACK mode (profile quickack): the first segments of text are acknowledged at "    \
	  "once, not delayed")                                                                     \
	X(ACK_SECOND_SEGMENT, "3.8.6.3-ack-every-second-segment", "§3.8.6.3", "SHLD-19",          \
	  "an ACK for at least every second full-sized segment (2*RMSS of new data)")             \
	X(ACK_OUT_OF_ORDER, "3.10.7.4-ack-out-of-order", "§3.10.7.4", "MAY-13",                   \
	  "an in-window segment not at the left edge is acknowledged at once with RCV.NXT")       \
	X(ACK_GAP_FILLED, "3.8.6.3-ack-gap-fill", "§3.8.6.3", NULL,                               \
	  "a segment that fills all or part of a gap is acknowledged at once (RFC 5681 §4.2)")   \
	X(ACK_FIN, "3.10.7.4-ack-fin", "§3.10.7.4", NULL,                                         \
	  "the peer's FIN is acknowledged at once")                                                \
	X(ACK_TEXT, "3.10.7.4-ack-text", "§3.10.7.4", "MUST-58",                                  \
	  "accepted text is acknowledged <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, aggregated over "   \
	  "the segments processed together (MUST-59)")                                            \
	X(WINDOW_UPDATE, "3.8.6.2.2-window-update", "§3.8.6.2.2", "MUST-39",                      \
	  "the user read data and the right window edge moves by at least "                       \
	  "min(RCV.BUFF/2, Eff.snd.MSS): window update")                                          \
	/* ---- data and controls we send ---- */                                                 \
	X(SEND_FULL_SEGMENT, "3.8.6.2.1-full-segment", "§3.8.6.2.1", "MUST-38",                  \
	  "a full-sized segment can be sent: min(D,U) >= Eff.snd.MSS (SHLD-28)")                  \
	X(SEND_PUSH, "3.8.6.2.1-push-all", "§3.8.6.2.1", "MUST-61",                               \
	  "all queued data fits the usable window and nothing is outstanding (Nagle): sent, PSH " \
	  "on the segment that empties the queue (MUST-60)")                                       \
	X(SEND_NODELAY, "3.7.4-nodelay", "§3.7.4", "MUST-17",                                     \
	  "Nagle disabled on this connection: queued data that fits the window is sent at once") \
	X(SEND_SWS_FRACTION, "3.8.6.2.1-fraction-of-max-window", "§3.8.6.2.1", "MUST-38",         \
	  "at least Fs=1/2 of the largest window seen can be sent")                                \
	X(SEND_SWS_OVERRIDE, "3.8.6.2.1-override-timeout", "§3.8.6.2.1", "MUST-38",               \
	  "the SWS override timeout expired: the usable window is filled")                         \
	X(SEND_URGENT, "3.8.5-urgent-send", "§3.8.5", "MUST-62",                                  \
	  "urgent data: URG set, the urgent pointer names the octet after the urgent data")       \
	X(NAGLE_HOLD, "3.7.4-nagle-hold", "§3.7.4", "SHLD-7",                                     \
	  "data outstanding: a short segment is held until the ACK or a full segment (Nagle)")    \
	X(SWS_HOLD, "3.8.6.2.1-sws-hold", "§3.8.6.2.1", "MUST-38",                                \
	  "the usable window is too small to be worth a segment: data held (sender SWS)")         \
	X(SEND_FIN, "3.10.4-fin", "§3.10.4", NULL,                                                \
	  "CLOSE: after the queued data, a FIN is sent (FIN-WAIT-1 or LAST-ACK)")                  \
	X(ABORT_RST, "3.10.5-abort-rst", "§3.10.5", NULL,                                         \
	  "ABORT: <SEQ=SND.NXT><CTL=RST>, queues flushed, CLOSED")                                 \
	X(ABORT_SILENT, "3.10.5-abort-silent", "§3.10.5", NULL,                                   \
	  "ABORT in LISTEN, SYN-SENT, CLOSING, LAST-ACK or TIME-WAIT: no segment, CLOSED")         \
	X(CLOSE_UNREAD_RST, "3.6.1-close-with-unread-data", "§3.6.1", "SHLD-3",                  \
	  "CLOSE while received data is unread: send RST to show the data was lost")               \
	X(CLOSE_LINGER_ZERO, "3.10.5-linger-zero", "§3.10.5", NULL,                               \
	  "close() with SO_LINGER on and a zero timeout is an ABORT")                              \
	X(CLOSE_SYN_SENT, "3.10.4-close-syn-sent", "§3.10.4", NULL,                               \
	  "CLOSE in SYN-SENT: the TCB is deleted, nothing is sent")                                \
	X(CLOSE_LISTEN, "3.10.4-close-listen", "§3.10.4", "MUST-41",                              \
	  "CLOSE in LISTEN: the listener is deleted; connections not yet accepted are aborted")   \
	X(ZERO_WINDOW_PROBE, "3.8.6.1-zero-window-probe", "§3.8.6.1", "MUST-36",                  \
	  "the window has been zero for an RTO: probe with one octet of new data, backing off "  \
	  "exponentially (SHLD-29, SHLD-30)")                                                      \
	X(KEEPALIVE_PROBE, "3.8.4-keep-alive", "§3.8.4", "MUST-26",                               \
	  "keep-alive (on by request only, MUST-24/25): idle for the interval, nothing "          \
	  "outstanding: <SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK>, no data (SHLD-12)")                \
	X(KEEPALIVE_TIMEOUT, "3.8.4-keep-alive-dead", "§3.8.4", "MUST-29",                        \
	  "every keep-alive probe of the count went unanswered (never a single one): abort")     \
	/* ---- retransmission, RFC 6298 ---- */                                                  \
	X(RTX_TIMEOUT, "3.8.1-retransmission-timeout", "§3.8.1", "MUST-18",                       \
	  "the retransmission timer expired: the earliest unacknowledged segment is sent again, " \
	  "RTO doubled (RFC 6298 5.4-5.6, MUST-19)")                                               \
	X(RTX_SYN, "3.8.3-syn-retransmission", "§3.8.3", "MUST-22",                               \
	  "the SYN (or SYN,ACK) was not acknowledged within the RTO: sent again, RTO doubled")    \
	X(RTX_PMTU, "3.7.2-pmtu-retransmit", "§3.7.2", "MUST-54",                                 \
	  "the path MTU decreased: outstanding data is sent again in smaller segments")            \
	X(RTX_R1, "3.8.3-r1", "§3.8.3", "SHLD-9",                                                 \
	  "retransmissions of one segment reached R1: the user is told of the delivery problem")  \
	X(RTX_R2, "3.8.3-r2", "§3.8.3", "MUST-20",                                                \
	  "retransmissions reached R2 (the user timeout, MUST-21; at least 3 minutes for a SYN, " \
	  "MUST-23): the connection is closed, ETIMEDOUT")                                        \
	X(TIME_WAIT_EXPIRED, "3.10.8-time-wait-timeout", "§3.10.8", "MUST-13",                    \
	  "TIME-WAIT lasted 2 MSL: the TCB is deleted")                                           \
	X(FIN_WAIT_2_TIMEOUT, "impl-fin-wait-2-timeout", "", NULL,                                \
	  "a closed (orphaned) connection waited in FIN-WAIT-2 for the profile's timeout: "       \
	  "deleted (not in the RFC; off in the rfc profile)")                                      \
	/* ---- RFC 5961 §7 ---- */                                                               \
	X(CHALLENGE_ACK_LIMIT, "RFC5961-7-challenge-ack-limit", "RFC 5961 §7", NULL,              \
	  "the connection's challenge ACK budget for this period is spent: the segment is "       \
	  "dropped without an ACK")                                                                \
	/* ---- RFC 7323 ---- */                                                                  \
	X(WS_SHIFT_CAPPED, "RFC7323-2.3-shift-capped", "RFC 7323 §2.3", NULL,                     \
	  "a window scale shift count above 14 is logged and taken as 14")                        \
	X(WS_SYN_UNSCALED, "RFC7323-2.2-syn-window-unscaled", "RFC 7323 §2.2", NULL,              \
	  "the window field of a SYN or SYN,ACK is never scaled; scaling starts after the SYNs "  \
	  "and only if both carried the option")                                                   \
	X(TS_MISSING_DROP, "RFC7323-3.2-missing-ts-drop", "RFC 7323 §3.2", NULL,                  \
	  "timestamps were negotiated and a non-RST segment arrives without TSopt: dropped "      \
	  "silently (the connection is not aborted)")                                              \
	X(TS_RECENT, "RFC7323-4.3-ts-recent", "RFC 7323 §4.3", NULL,                              \
	  "TS.Recent <- SEG.TSval when SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent; "     \
	  "every TSecr we send echoes TS.Recent")                                                  \
	X(TS_RTTM, "RFC7323-4.1-rttm", "RFC 7323 §4.1", NULL,                                     \
	  "an ACK that advances SND.UNA gives an RTT sample now - SEG.TSecr (RFC 6298 estimator)") \
	X(PAWS_DROP, "RFC7323-5.3-paws-drop", "RFC 7323 §5.3", NULL,                              \
	  "PAWS: SEG.TSval < TS.Recent on a non-RST segment: an old duplicate; send an ACK and "  \
	  "drop it")                                                                                \
	X(PAWS_IDLE, "RFC7323-5.5-paws-idle", "RFC 7323 §5.5", NULL,                              \
	  "TS.Recent is older than 24 days (idle connection): it is invalid, the segment is "     \
	  "accepted and TS.Recent reloaded from it")                                               \
	/* ---- RFC 2018, 2883, 6675 ---- */                                                     \
	X(SACK_BLOCKS, "RFC2018-4-sack-blocks", "RFC 2018 §4", NULL,                              \
	  "out-of-order data is held: the ACK carries SACK blocks, the block of the newest "      \
	  "segment first, then the most recently reported ones (at most 4, 3 with timestamps)")   \
	X(DSACK, "RFC2883-4-dsack", "RFC 2883 §4", NULL,                                          \
	  "a duplicate segment arrived: the ACK reports it in a first D-SACK block (and the "     \
	  "block that holds it second)")                                                            \
	X(SACK_SKIP, "RFC2018-5.1-skip-sacked", "RFC 2018 §5.1", NULL,                            \
	  "a retransmission skips data the receiver has SACKed")                                  \
	X(SACK_RTX_HOLE, "RFC6675-5-retransmit-hole", "RFC 6675 §5", NULL,                        \
	  "SACK loss recovery: the next un-SACKed hole below the highest SACKed octet is "        \
	  "retransmitted")                                                                          \
	/* ---- RFC 5681, 6582, 3042 ---- */                                                     \
	X(CC_FAST_RETRANSMIT, "RFC5681-3.2-fast-retransmit", "RFC 5681 §3.2", NULL,               \
	  "the third duplicate ACK: ssthresh = max(FlightSize/2, 2*SMSS), the segment at "        \
	  "SND.UNA is retransmitted, cwnd = ssthresh + 3*SMSS (fast recovery)")                   \
	X(CC_LIMITED_TRANSMIT, "RFC3042-2-limited-transmit", "RFC 3042 §2", NULL,                 \
	  "the first or second duplicate ACK: one new segment may go out beyond cwnd (at most "   \
	  "cwnd + 2*SMSS outstanding)")                                                            \
	X(CC_PARTIAL_ACK, "RFC6582-3.2-partial-ack", "RFC 6582 §3.2", NULL,                       \
	  "NewReno: an ACK of new data below `recover` retransmits the first unacknowledged "     \
	  "segment, cwnd deflates by the amount acknowledged (plus SMSS)")                          \
	X(CC_RECOVERY_EXIT, "RFC5681-3.2-recovery-exit", "RFC 5681 §3.2", NULL,                   \
	  "an ACK of all data up to `recover` (Reno: any new ACK) ends fast recovery; cwnd is "   \
	  "deflated to ssthresh")                                                                  \
	X(CC_NO_REENTRY, "RFC6582-3.2-no-reentry", "RFC 6582 §3.2", NULL,                         \
	  "duplicate ACKs that do not cover `recover` do not start a new fast retransmit")        \
	X(CC_LOSS_WINDOW, "RFC5681-3.1-loss-window", "RFC 5681 §3.1", NULL,                       \
	  "the retransmission timer expired: ssthresh = max(FlightSize/2, 2*SMSS) (held on a "    \
	  "repeated timeout), cwnd = LW = 1 SMSS")                                                  \
	X(CC_RESTART_WINDOW, "RFC5681-4.1-restart-window", "RFC 5681 §4.1", NULL,                 \
	  "no data sent for longer than an RTO: cwnd = min(IW, cwnd) before sending")             \
	/* ---- ICMP, §3.9.2.2 ---- */                                                            \
	X(ICMP_SOURCE_QUENCH, "3.9.2.2-source-quench", "§3.9.2.2", "MUST-55",                     \
	  "ICMP Source Quench is discarded silently")                                             \
	X(ICMP_SOFT, "3.9.2.2-soft-error", "§3.9.2.2", "MUST-56",                                 \
	  "a soft ICMP error never aborts the connection; it is reported to the user (SHLD-25, "  \
	  "MUST-47)")                                                                              \
	X(ICMP_HARD, "3.9.2.2-hard-error", "§3.9.2.2", "SHLD-26",                                 \
	  "a hard ICMP error (destination unreachable, protocol or port) aborts the connection")  \
	X(ICMP_PMTU, "3.7.2-packet-too-big", "§3.7.2", "MUST-54",                                 \
	  "fragmentation needed / packet too big lowers the path MTU and the effective send MSS " \
	  "(MUST-16)")                                                                             \
	X(ICMP_PMTU_BOGUS, "3.7.2-packet-too-big-bogus", "§3.7.2", NULL,                          \
	  "a packet-too-big error reporting an MTU below the IP minimum (68 / 1280) or above the " \
	  "current one is ignored")                                                                \
	X(ICMP_NO_CONNECTION, "3.9.2.2-no-connection", "§3.9.2.2", "MUST-54",                     \
	  "the ICMP error quotes no connection of this stack: ignored")                           \
	X(ICMP_BAD_SEQ, "3.9.2.2-quoted-seq", "§3.9.2.2", NULL,                                   \
	  "the ICMP error quotes a sequence number outside [SND.UNA, SND.NXT): ignored (RFC "     \
	  "5927 §4.1)")                                                                            \
	/* ---- state changes with no segment of their own ---- */                                \
	X(USER_CLOSE, "3.10.4-close", "§3.10.4", NULL, "the user called CLOSE")                   \
	X(USER_SHUTDOWN_READ, "3.6.1-shutdown-read", "§3.6.1", "MAY-1",                           \
	  "the user shut the receiving direction")                                                 \
	X(ACCEPTED, "3.10.7.4-accept-queue", "§3.10.7.4", NULL,                                   \
	  "a passively opened connection reached ESTABLISHED and waits in the accept queue")      \
	X(CONNECTED, "3.10.7.3-connected", "§3.10.7.3", NULL,                                     \
	  "an active OPEN completed; the user's connect succeeds")                                 \
	/* ---- resource bounds ---- */                                                           \
	X(OUTPUT_QUEUE_FULL, "impl-output-queue-full", "", NULL,                                  \
	  "the stack's bounded output queue is full: a segment was lost (a caller bug)")

enum ref_rule {
#define REF_RULE_ENUM(name, id, section, req, text) REF_R_##name,
	REF_RULES(REF_RULE_ENUM)
#undef REF_RULE_ENUM
	REF_R_COUNT
};

/* One rule's description. All strings are static; `req` is NULL where the
 * rule has no requirement id, `section` is "" for implementation rules. */
struct ref_rule_info {
	const char *id;      /* stable, e.g. "3.10.7.4-rst-challenge-ack" */
	const char *section; /* e.g. "§3.10.7.4" */
	const char *req;     /* e.g. "MUST-66", or NULL */
	const char *text;    /* one sentence for reports */
};

/* The description of `r`; an out-of-range value gets the REF_R_NONE entry.
 * Never NULL; the result is static. */
const struct ref_rule_info *ref_rule_info(enum ref_rule r);

/* Shorthand for ref_rule_info(r)->id. */
const char *ref_rule_id(enum ref_rule r);

/* The rule whose id is `id`, or REF_R_NONE if there is none. */
enum ref_rule ref_rule_by_id(const char *id);

#endif
