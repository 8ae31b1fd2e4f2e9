#!/usr/bin/env python3
"""The state x event matrix of RFC 9293 §3.10.7 as generated scripts.

For every TCP state a script can reach with the socket verbs, every kind of
incoming segment (SYN, SYN-ACK, ACK, data, FIN, RST, RST-ACK, bad checksum,
unknown option) and, in the synchronized states, every position of its
sequence number relative to the receive window (below, at RCV.NXT, inside,
at the right edge, beyond), this writes one script under specs/generated/
and tags it with the rule that decides it.

The outcome each rule demands is data here (RULES), written from the RFC
text, not from the reference's code; `decide()` walks §3.10.7's steps in
their order to pick the rule. The generator then lets the reference fill in
the outbound lines of the same script (`tcpcheck expect`) and compares them
with what the table demands: any difference is printed and makes the run
fail (exit 1). A difference is resolved by reading the RFC: the reference is
fixed (with a unit test), or the table is (with the section that says why),
or -- while the reference's owner has not fixed it -- the row is listed in
REF_DISAGREES with the section, and the script carries `@xfail ref`.

    specs/gen/state_event.py --tcpcheck build/default/harness/tcpcheck
        [--check]     compare only; write nothing (the ctest `generator` test)
        [--out DIR]   default specs/generated

The scripts are committed; re-run this after changing the table, the
reference or the script language, and commit what changes.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

# ---- the rules: the outcome each demands, with its section -------------------
#
# outcome: what the stack must send and where the connection ends up.
#   drop        nothing is sent; the state does not change
#   ack         <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> at once; state unchanged
#   ack-later   an ACK of the new RCV.NXT within 0.5 s (delayed ACK, MUST-40)
#   rst-seg-ack <SEQ=SEG.ACK><CTL=RST>
#   rst-nonack  <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
#   syn-ack     <SEQ=ISS><ACK=SEG.SEQ+1><CTL=SYN,ACK>
#   gone        nothing is sent; the connection no longer exists
RULES = {
    # id: (outcome, next state or None = unchanged, section, what the RFC says)
    "MUST-3": ("drop", None, "§3.1",
               "a segment with a bad checksum is discarded"),
    "§3.10.7.1-drop-rst": ("drop", None, "§3.10.7.1",
                           "CLOSED: an incoming segment with RST is discarded"),
    "§3.10.7.1-rst-for-ack": ("rst-seg-ack", None, "§3.10.7.1",
                              "CLOSED: ACK on: <SEQ=SEG.ACK><CTL=RST>"),
    "§3.10.7.1-rst-for-non-ack": ("rst-nonack", None, "§3.10.7.1",
                                  "CLOSED: ACK off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"),
    "§3.10.7.2-drop-rst": ("drop", None, "§3.10.7.2", "LISTEN: an incoming RST is ignored"),
    "§3.10.7.2-rst-for-ack": ("rst-seg-ack", None, "§3.10.7.2",
                              "LISTEN: any ACK is bad: <SEQ=SEG.ACK><CTL=RST>"),
    "§3.10.7.2-syn-ack": ("syn-ack", "SYN_RECEIVED", "§3.10.7.2",
                          "LISTEN: SYN: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SYN-RECEIVED"),
    "§3.10.7.2-drop-other": ("drop", None, "§3.10.7.2",
                             "LISTEN: neither SYN, ACK nor RST: drop"),
    "§3.10.7.3-rst-for-bad-ack": ("rst-seg-ack", None, "§3.10.7.3",
                                  "SYN-SENT: SEG.ACK =< ISS or > SND.NXT (no RST): "
                                  "<SEQ=SEG.ACK><CTL=RST>, drop"),
    "§3.10.7.3-drop-rst-bad-ack": ("drop", None, "§3.10.7.3",
                                   "SYN-SENT: RST with an unacceptable ACK: drop"),
    "§3.10.7.3-drop-rst-no-ack": ("drop", None, "§3.10.7.3",
                                  "SYN-SENT: RST without ACK: drop"),
    "§3.10.7.3-rst-refused": ("gone", "CLOSED", "§3.10.7.3",
                              "SYN-SENT: RST with an acceptable ACK: connection reset, CLOSED"),
    "§3.10.7.3-established": ("ack", "ESTABLISHED", "§3.10.7.3",
                              "SYN-SENT: SYN with an ACK of our SYN: ESTABLISHED, "
                              "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"),
    "§3.10.7.3-simultaneous-open": ("syn-ack", "SYN_RECEIVED", "§3.10.7.3",
                                    "SYN-SENT: SYN without ACK: SYN-RECEIVED, "
                                    "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>"),
    "§3.10.7.3-drop-no-syn-no-rst": ("drop", None, "§3.10.7.3",
                                     "SYN-SENT: neither SYN nor RST: drop"),
    "§3.10.7.4-unacceptable-ack": ("ack", None, "§3.10.7.4",
                                   "first check: not acceptable (Table 6), no RST: "
                                   "<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, drop"),
    "§3.10.7.4-rst-out-of-window": ("drop", None, "§3.10.7.4",
                                    "first check: an unacceptable RST is dropped silently"),
    "§3.10.7.4-rst-in-window": ("ack", None, "§3.10.7.4",
                                "second check: RST in the window, not at RCV.NXT: "
                                "challenge ACK (RFC 5961 §3.2), drop"),
    "§3.10.7.4-rst-syn-received-passive": ("gone", "LISTEN", "§3.10.7.4",
                                           "second check: SYN-RECEIVED from a passive OPEN: "
                                           "back to LISTEN"),
    "§3.10.7.4-rst-reset": ("gone", "CLOSED", "§3.10.7.4",
                            "second check: ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: RST at "
                            "RCV.NXT: reset, CLOSED"),
    "§3.10.7.4-rst-close": ("gone", "CLOSED", "§3.10.7.4",
                            "second check: CLOSING, LAST-ACK, TIME-WAIT: RST at RCV.NXT: CLOSED"),
    "§3.10.7.4-syn-syn-received-passive": ("gone", "LISTEN", "§3.10.7.4",
                                           "fourth check: SYN-RECEIVED from a passive OPEN: "
                                           "back to LISTEN"),
    "§3.10.7.4-syn-challenge-ack": ("ack", None, "§3.10.7.4",
                                    "fourth check: SYN in a synchronized state: challenge ACK "
                                    "(RFC 5961 §4.2), drop"),
    "§3.10.7.4-ack-off": ("drop", None, "§3.10.7.4", "fifth check: ACK off: drop"),
    "§3.10.7.4-syn-received-ack": ("drop", "ESTABLISHED", "§3.10.7.4",
                                   "fifth check: SYN-RECEIVED, SND.UNA < SEG.ACK =< SND.NXT: "
                                   "ESTABLISHED"),
    "§3.10.7.4-closing-ignore": ("drop", None, "§3.10.7.4",
                                 "fifth check: CLOSING, the ACK does not cover our FIN: "
                                 "ignore the segment"),
    "§3.10.7.4-ack-duplicate": ("drop", None, "§3.10.7.4",
                                "fifth check: SEG.ACK = SND.UNA: nothing new acknowledged; "
                                "a segment without text needs no answer"),
    "§3.10.7.4-text": ("ack-later", None, "§3.10.7.4",
                       "seventh: text at RCV.NXT is taken and acknowledged"),
    "SHLD-31": ("ack", None, "§3.10.7.4",
                "seventh: in-window text beyond RCV.NXT is kept for later; it is "
                "acknowledged at once with RCV.NXT (MAY-13, RFC 5681 §4.2)"),
    "§3.10.7.4-time-wait-ack": ("ack", None, "§3.10.7.4",
                                "fifth check, TIME-WAIT: 'the only thing that can arrive in "
                                "this state is a retransmission of the remote FIN. Acknowledge "
                                "it, and restart the 2 MSL timeout'; the seventh step ignores "
                                "the text. Applied to segments that carry text: acknowledging "
                                "a bare ACK would make two TIME-WAIT ends ACK each other "
                                "forever"),
    "§3.10.7.4-text-after-fin": ("drop", None, "§3.10.7.4",
                                 "seventh: CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: "
                                 "text after the peer's FIN is ignored"),
    "§3.10.7.4-fin-close-wait": ("ack-later", "CLOSE_WAIT", "§3.10.7.4",
                                 "eighth: FIN in ESTABLISHED: CLOSE-WAIT, FIN acknowledged"),
    "§3.10.7.4-fin-closing": ("ack-later", "CLOSING", "§3.10.7.4",
                              "eighth: FIN in FIN-WAIT-1, our FIN not acknowledged: CLOSING"),
    "§3.10.7.4-fin-time-wait": ("ack-later", "TIME_WAIT", "§3.10.7.4",
                                "eighth: FIN in FIN-WAIT-2: TIME-WAIT"),
    "§3.10.7.4-time-wait-fin": ("ack", None, "§3.10.7.4",
                                "TIME-WAIT: the only segment expected is a retransmitted FIN: "
                                "acknowledge it, restart 2 MSL"),
}

# ---- states: how a script gets there, and the numbers it has there ------------

PRE_LISTEN = [
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
    "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
    "+0 bind(3, ..., ...) = 0",
    "+0 listen(3, 1) = 0",
]
PRE_SYN_RCVD = PRE_LISTEN + [
    "+0 < S 0:0(0) win 8192 <mss 1460>",
    "+0 > S. 0:0(0) ack 1 <...>",
]
PRE_EST = PRE_SYN_RCVD + [
    "+0 < . 1:1(0) ack 1 win 8192",
    "+0 accept(3, ..., ...) = 4",
]
PRE_FW1 = PRE_EST + ["+0 shutdown(4, SHUT_WR) = 0", "+0 > F. 1:1(0) ack 1"]
PRE_FW2 = PRE_FW1 + ["+0 < . 1:1(0) ack 2 win 8192"]
PRE_CW = PRE_EST + ["+0 < F. 1:1(0) ack 1 win 8192", "+0~+0.5 > . 1:1(0) ack 2"]
PRE_CLOSING = PRE_FW1 + ["+0 < F. 1:1(0) ack 1 win 8192", "+0~+0.5 > . 2:2(0) ack 2"]
PRE_LAST_ACK = PRE_CW + ["+0 close(4) = 0", "+0 > F. 1:1(0) ack 2"]
PRE_TW = PRE_FW2 + ["+0 < F. 1:1(0) ack 2 win 8192", "+0~+0.5 > . 2:2(0) ack 2"]
PRE_SYN_SENT = [
    "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
    "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0",
    "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)",
    "+0 > S 0:0(0) <...>",
]

# name: (prelude, RCV.NXT, SND.NXT, SEG.ACK the peer uses, our FIN sent, peer FIN seen)
SYNC_STATES = {
    "SYN_RECEIVED": (PRE_SYN_RCVD, 1, 1, 1, False, False),
    "ESTABLISHED": (PRE_EST, 1, 1, 1, False, False),
    "FIN_WAIT_1": (PRE_FW1, 1, 2, 1, True, False),
    "FIN_WAIT_2": (PRE_FW2, 1, 2, 2, True, False),
    "CLOSE_WAIT": (PRE_CW, 2, 1, 1, False, True),
    "CLOSING": (PRE_CLOSING, 2, 2, 1, True, True),
    "LAST_ACK": (PRE_LAST_ACK, 2, 2, 1, True, True),
    "TIME_WAIT": (PRE_TW, 2, 2, 2, True, True),
}
KINDS = ["syn", "synack", "ack", "data", "fin", "rst", "rstack", "badcsum", "unkopt"]
POSITIONS = ["below", "at", "inside", "right-edge", "beyond"]
RCV_WND = 65535  # the receive window of the right-edge scripts (@config rcvbuf=65535)
# After the peer's FIN the reference advertises 65534: the FIN took one unit
# of the window and the right edge stayed where it was (SHLD-14). The right
# edge is where the stack last put it, a choice the RFC leaves to the stack,
# so it is read from the wire (the ACK of the FIN), not assumed.
RCV_WND_AFTER_FIN = 65534
DATA_LEN = 10
MOD = 1 << 32

# Rows where the reference disagrees with the table and the RFC says the
# table is right: (state, kind, position) -> reason with the section. The
# script keeps the table's outcome and carries `@xfail ref <reason>`.
# (Empty since the reference acknowledges text in TIME-WAIT, §3.10.7.4 fifth
# check, rule 3.10.7.4-time-wait-ack.)
REF_DISAGREES = {}

# Rows where Linux differs from the rule (a real behaviour, checked on the
# linux target): (state, kind or "*", position or "*") -> reason.
LINUX_DIFFERS = {
    ("SYN_RECEIVED", "syn", "inside"):
        "Linux answers a SYN inside the window of a SYN-RECEIVED connection with a RST "
        "(tcp_check_req, RFC 793's rule); RFC 9293 §3.10.7.4 fourth check returns it to LISTEN",
    ("SYN_RECEIVED", "synack", "inside"):
        "Linux answers a SYN inside the window of a SYN-RECEIVED connection with a RST "
        "(tcp_check_req, RFC 793's rule); RFC 9293 §3.10.7.4 fourth check returns it to LISTEN",
    ("SYN_RECEIVED", "syn", "at"):
        "Linux answers a SYN inside the window of a SYN-RECEIVED connection with a RST "
        "(tcp_check_req, RFC 793's rule); RFC 9293 §3.10.7.4 fourth check returns it to LISTEN",
    ("SYN_RECEIVED", "synack", "at"):
        "Linux answers a SYN inside the window of a SYN-RECEIVED connection with a RST "
        "(tcp_check_req, RFC 793's rule); RFC 9293 §3.10.7.4 fourth check returns it to LISTEN",
    ("SYN_SENT", "rstack", "below"):
        "Linux drops the RST but at once retransmits its SYN (tcp_rcv_synsent_state_process, "
        "TCP_TIMEOUT_MIN); §3.10.7.3 says only to drop the segment",
    ("SYN_SENT", "rstack", "beyond"):
        "Linux drops the RST but at once retransmits its SYN (tcp_rcv_synsent_state_process, "
        "TCP_TIMEOUT_MIN); §3.10.7.3 says only to drop the segment",
    ("CLOSE_WAIT", "fin", "at"):
        "Linux ignores a second FIN after the first without an ACK; §3.10.7.4 eighth step "
        "acknowledges a FIN in CLOSE-WAIT and stays",
    ("LAST_ACK", "fin", "at"):
        "Linux ignores a second FIN after the first without an ACK; §3.10.7.4 eighth step "
        "acknowledges a FIN in LAST-ACK and stays",
    ("TIME_WAIT", "ack", "inside"):
        "Linux acknowledges every TIME-WAIT segment but a bare ACK exactly at RCV.NXT "
        "(tcp_timewait_state_process)",
    ("TIME_WAIT", "rst", "inside"):
        "Linux ignores a RST in TIME-WAIT that is not at RCV.NXT, with no challenge ACK; "
        "RFC 9293 §3.10.7.4 second check (RFC 5961 §3.2) covers TIME-WAIT",
    ("TIME_WAIT", "rstack", "inside"):
        "Linux ignores a RST in TIME-WAIT that is not at RCV.NXT, with no challenge ACK; "
        "RFC 9293 §3.10.7.4 second check (RFC 5961 §3.2) covers TIME-WAIT",
    ("TIME_WAIT", "syn", "inside"):
        "Linux reopens the connection on a SYN above RCV.NXT in TIME-WAIT (MAY-2, §3.6.1) "
        "and sends a SYN-ACK",
    ("TIME_WAIT", "syn", "beyond"):
        "Linux reopens the connection on a SYN above RCV.NXT in TIME-WAIT (MAY-2, §3.6.1) "
        "and sends a SYN-ACK",
}


LWIP_RST_ACK = (
    'lwIP 2.1.3 sends every RST with ACK (tcp_rst sets TCP_RST | TCP_ACK): an ACK to a '
    'port without a connection draws <SEQ=SEG.ACK><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; RFC'
    ' 9293 §3.5.2, §3.10.7.1/2: <SEQ=SEG.ACK><CTL=RST> (finding lwip-rst-ack)'
)
LWIP_RST_ACK_PROBE = (
    'the connection is gone as the rule says, but lwIP 2.1.3 answers the ACK that probes '
    'the port with RST,ACK (tcp_rst sets TCP_RST | TCP_ACK); RFC 9293 §3.10.7.1/2: '
    '<SEQ=SEG.ACK><CTL=RST> (finding lwip-rst-ack)'
)
LWIP_SYNSENT_ACK = (
    'lwIP 2.1.3 answers a segment that acknowledges its SYN but carries no SYN with a RST'
    " and resends its SYN at once (tcp_process, SYN_SENT: 'a half-open connection'); "
    '§3.10.7.3: a segment with neither SYN nor RST is dropped'
)
LWIP_SYNRCVD_SEQ = (
    'lwIP 2.1.3 in SYN-RECEIVED looks at the ACK before the sequence number (tcp_process,'
    ' SYN_RCVD): an out-of-window segment that acknowledges its SYN-ACK is answered but '
    'also moves the connection to ESTABLISHED; RFC 9293 §3.10.7.4 first check: an '
    'unacceptable segment is acknowledged and dropped, before the ACK field is looked at'
)
LWIP_SYNRCVD_SYN_OLD = (
    "lwIP 2.1.3 ignores a SYN in SYN-RECEIVED unless it repeats the peer's first SYN "
    '(then it resends its SYN-ACK) (tcp_process, SYN_RCVD): an out-of-window SYN draws no'
    ' ACK; RFC 9293 §3.10.7.4 first check: an unacceptable segment is acknowledged'
)
LWIP_SYNRCVD_SYN = (
    'lwIP 2.1.3 does not return a SYN-RECEIVED connection to LISTEN on a SYN in the '
    'window (tcp_process, SYN_RCVD: a SYN is ignored, an ACK of its SYN-ACK completes the'
    " handshake); RFC 9293 §3.10.7.4 fourth check: a passive OPEN's SYN-RECEIVED "
    'connection returns to LISTEN'
)
LWIP_SECOND_FIN = (
    "lwIP 2.1.3 does not acknowledge a FIN at RCV.NXT after the peer's first FIN "
    '(tcp_receive takes no text or FIN once it has the FIN); §3.10.7.4 eighth step '
    'acknowledges a FIN in CLOSE-WAIT and LAST-ACK and stays'
)
LWIP_TW_ACK = (
    'lwIP 2.1.3 in TIME-WAIT answers only segments that carry text, SYN or FIN '
    '(tcp_timewait_input); RFC 9293 §3.10.7.4 first check: an unacceptable segment draws '
    'an ACK'
)
LWIP_TW_RST = (
    "lwIP 2.1.3 ignores every RST in TIME-WAIT (tcp_timewait_input, RFC 1337's defence "
    'against TIME-WAIT assassination), so the connection stays and the probing ACK draws '
    'nothing; RFC 9293 §3.10.7.4 second check: a RST at RCV.NXT in TIME-WAIT closes the '
    "connection (the reference's profile key rst_in_time_wait_closes models the RFC 1337 "
    'choice)'
)


# Rows where lwIP 2.1.3 differs from the rule (checked on the lwip target,
# which runs the rows that do not need RFC 5961): (state, kind or "*",
# position or "*") -> reason.
LWIP_DIFFERS = {
    ('CLOSED', 'ack', '-'): LWIP_RST_ACK,
    ('LISTEN', 'ack', '-'): LWIP_RST_ACK,
    ('CLOSED', 'data', '-'): LWIP_RST_ACK,
    ('LISTEN', 'data', '-'): LWIP_RST_ACK,
    ('CLOSED', 'fin', '-'): LWIP_RST_ACK,
    ('LISTEN', 'fin', '-'): LWIP_RST_ACK,
    ('CLOSED', 'synack', '-'): LWIP_RST_ACK,
    ('LISTEN', 'synack', '-'): LWIP_RST_ACK,
    ('SYN_RECEIVED', 'rst', 'at'): LWIP_RST_ACK_PROBE,
    ('SYN_RECEIVED', 'rstack', 'at'): LWIP_RST_ACK_PROBE,
    ('ESTABLISHED', 'rst', 'at'): LWIP_RST_ACK_PROBE,
    ('ESTABLISHED', 'rstack', 'at'): LWIP_RST_ACK_PROBE,
    ('FIN_WAIT_1', 'rst', 'at'): LWIP_RST_ACK_PROBE,
    ('FIN_WAIT_1', 'rstack', 'at'): LWIP_RST_ACK_PROBE,
    ('FIN_WAIT_2', 'rst', 'at'): LWIP_RST_ACK_PROBE,
    ('FIN_WAIT_2', 'rstack', 'at'): LWIP_RST_ACK_PROBE,
    ('CLOSE_WAIT', 'rst', 'at'): LWIP_RST_ACK_PROBE,
    ('CLOSE_WAIT', 'rstack', 'at'): LWIP_RST_ACK_PROBE,
    ('CLOSING', 'rst', 'at'): LWIP_RST_ACK_PROBE,
    ('CLOSING', 'rstack', 'at'): LWIP_RST_ACK_PROBE,
    ('LAST_ACK', 'rst', 'at'): LWIP_RST_ACK_PROBE,
    ('LAST_ACK', 'rstack', 'at'): LWIP_RST_ACK_PROBE,
    ('SYN_SENT', 'ack', 'below'): LWIP_RST_ACK,
    ('SYN_SENT', 'ack', 'beyond'): LWIP_RST_ACK,
    ('SYN_SENT', 'data', 'below'): LWIP_RST_ACK,
    ('SYN_SENT', 'data', 'beyond'): LWIP_RST_ACK,
    ('SYN_SENT', 'fin', 'below'): LWIP_RST_ACK,
    ('SYN_SENT', 'fin', 'beyond'): LWIP_RST_ACK,
    ('SYN_SENT', 'synack', 'below'): LWIP_RST_ACK,
    ('SYN_SENT', 'synack', 'beyond'): LWIP_RST_ACK,
    ("SYN_SENT", "ack", "at"): LWIP_SYNSENT_ACK,
    ("SYN_SENT", "data", "at"): LWIP_SYNSENT_ACK,
    ("SYN_SENT", "fin", "at"): LWIP_SYNSENT_ACK,
    ("SYN_SENT", "syn", "-"):
        "lwIP 2.1.3 has no simultaneous open: a SYN without ACK in SYN-SENT draws nothing "
        "(tcp_process, SYN_SENT); §3.10.7.3 answers it with a SYN-ACK and enters "
        "SYN-RECEIVED (finding lwip-simultaneous-open)",
    ("SYN_RECEIVED", "ack", "below"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "ack", "beyond"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "data", "below"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "data", "beyond"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "fin", "below"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "fin", "beyond"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "unkopt", "below"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "unkopt", "beyond"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "synack", "below"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "synack", "beyond"): LWIP_SYNRCVD_SEQ,
    ("SYN_RECEIVED", "syn", "below"): LWIP_SYNRCVD_SYN_OLD,
    ("SYN_RECEIVED", "syn", "beyond"): LWIP_SYNRCVD_SYN_OLD,
    ("SYN_RECEIVED", "syn", "*"): LWIP_SYNRCVD_SYN,
    ("SYN_RECEIVED", "synack", "*"): LWIP_SYNRCVD_SYN,
    ("CLOSE_WAIT", "fin", "at"): LWIP_SECOND_FIN,
    ("LAST_ACK", "fin", "at"): LWIP_SECOND_FIN,
    ("TIME_WAIT", "ack", "below"): LWIP_TW_ACK,
    ("TIME_WAIT", "ack", "beyond"): LWIP_TW_ACK,
    ("TIME_WAIT", "rst", "at"): LWIP_TW_RST,
    ("TIME_WAIT", "rstack", "at"): LWIP_TW_RST,
}


def seq_of(pos, rcv_nxt, length, wnd=RCV_WND):
    """The sequence number of a segment at `pos` and its length."""
    if pos == "below":
        return (rcv_nxt - 1000) % MOD, length
    if pos == "at":
        return rcv_nxt, length
    if pos == "inside":
        return rcv_nxt + 100, length
    if pos == "right-edge":
        return rcv_nxt + wnd - 1, min(length, 1)
    return rcv_nxt + 100000, length


def acceptable(pos, seg_len):
    """RFC 9293 Table 6 with RCV.WND > 0 (no window is zero here)."""
    if pos in ("at", "inside", "right-edge"):
        return True
    return False  # below: wholly before RCV.NXT; beyond: past any unscaled window


def decide(state, kind, pos):
    """The rule of §3.10.7.4 that decides `kind` at `pos` in a synchronized
    `state`, walking the steps in the RFC's order."""
    _, rcv_nxt, snd_nxt, ack, fin_sent, fin_seen = SYNC_STATES[state]
    if kind == "badcsum":
        return "MUST-3"
    has_syn = kind in ("syn", "synack")
    has_rst = kind in ("rst", "rstack")
    seg_len = (DATA_LEN if kind in ("data", "unkopt") else 0) + has_syn + (kind == "fin")
    # first: sequence number
    if not acceptable(pos, seg_len):
        if has_rst:
            return "§3.10.7.4-rst-out-of-window"
        if state == "TIME_WAIT" and kind == "fin" and pos == "below":
            pass  # an old FIN below RCV.NXT is also just re-acknowledged
        return "§3.10.7.4-unacceptable-ack"
    # second: RST
    if has_rst:
        if pos != "at":
            return "§3.10.7.4-rst-in-window"
        if state == "SYN_RECEIVED":
            return "§3.10.7.4-rst-syn-received-passive"
        if state in ("CLOSING", "LAST_ACK", "TIME_WAIT"):
            return "§3.10.7.4-rst-close"
        return "§3.10.7.4-rst-reset"
    # fourth: SYN
    if has_syn:
        if state == "SYN_RECEIVED":
            return "§3.10.7.4-syn-syn-received-passive"
        return "§3.10.7.4-syn-challenge-ack"
    # fifth: ACK (every remaining kind carries an acceptable ACK)
    if state == "SYN_RECEIVED" and kind == "ack":
        return "§3.10.7.4-syn-received-ack"
    if state == "CLOSING" and ack < snd_nxt:
        return "§3.10.7.4-closing-ignore"
    # seventh: text; eighth: FIN
    if kind in ("data", "unkopt"):
        if state == "TIME_WAIT":
            return "§3.10.7.4-time-wait-ack"
        if fin_seen:
            return "§3.10.7.4-text-after-fin"
        return "§3.10.7.4-text" if pos == "at" else "SHLD-31"
    if kind == "fin":
        if fin_seen:
            return "§3.10.7.4-time-wait-fin" if state == "TIME_WAIT" else "§3.10.7.4-text-after-fin"
        if pos != "at":
            return "SHLD-31"
        if state in ("ESTABLISHED", "SYN_RECEIVED"):
            return "§3.10.7.4-fin-close-wait"
        if state == "FIN_WAIT_1":
            return "§3.10.7.4-fin-closing"
        return "§3.10.7.4-fin-time-wait"
    return "§3.10.7.4-ack-duplicate"


RULES["§3.10.7.4-fin-remain"] = (
    "ack", None, "§3.10.7.4",
    "eighth: a FIN in CLOSE-WAIT, CLOSING or LAST-ACK leaves the state as it is and is "
    "acknowledged (a second FIN moves nothing: RCV.NXT is already past the first)")


def decide_sync(state, kind, pos):
    rule = decide(state, kind, pos)
    if rule == "§3.10.7.4-text-after-fin" and kind == "fin" and pos == "at":
        rule = "§3.10.7.4-fin-remain"
    return rule


# LISTEN, SYN-SENT and CLOSED have no receive window: the position is that of
# the ACK field where it matters (SYN-SENT), else there is one row per kind.
# (state, kind, position): (inbound segment, rule)
UNSYNC = {
    ("CLOSED", "syn", "-"): ("S 0:0(0) win 8192 <mss 1460>", "§3.10.7.1-rst-for-non-ack"),
    ("CLOSED", "synack", "-"): ("S. 0:0(0) ack 1000 win 8192 <mss 1460>", "§3.10.7.1-rst-for-ack"),
    ("CLOSED", "ack", "-"): (". 1:1(0) ack 1000 win 8192", "§3.10.7.1-rst-for-ack"),
    ("CLOSED", "data", "-"): ("P. 1:11(10) ack 1000 win 8192", "§3.10.7.1-rst-for-ack"),
    ("CLOSED", "fin", "-"): ("F. 1:1(0) ack 1000 win 8192", "§3.10.7.1-rst-for-ack"),
    ("CLOSED", "rst", "-"): ("R 1:1(0) win 8192", "§3.10.7.1-drop-rst"),
    ("CLOSED", "rstack", "-"): ("R. 1:1(0) ack 1000 win 8192", "§3.10.7.1-drop-rst"),
    ("CLOSED", "badcsum", "-"): ("S 0:0(0) win 8192 <mss 1460> bad_csum", "MUST-3"),
    ("CLOSED", "unkopt", "-"): ("S 0:0(0) win 8192 <mss 1460, nop, nop, TS val 100 ecr 0>",
                                "§3.10.7.1-rst-for-non-ack"),
    ("LISTEN", "syn", "-"): ("S 0:0(0) win 8192 <mss 1460>", "§3.10.7.2-syn-ack"),
    ("LISTEN", "synack", "-"): ("S. 0:0(0) ack 1000 win 8192 <mss 1460>", "§3.10.7.2-rst-for-ack"),
    ("LISTEN", "ack", "-"): (". 1:1(0) ack 1000 win 8192", "§3.10.7.2-rst-for-ack"),
    ("LISTEN", "data", "-"): ("P. 1:11(10) ack 1000 win 8192", "§3.10.7.2-rst-for-ack"),
    ("LISTEN", "fin", "-"): ("F. 1:1(0) ack 1000 win 8192", "§3.10.7.2-rst-for-ack"),
    ("LISTEN", "rst", "-"): ("R 1:1(0) win 8192", "§3.10.7.2-drop-rst"),
    ("LISTEN", "rstack", "-"): ("R. 1:1(0) ack 1000 win 8192", "§3.10.7.2-drop-rst"),
    ("LISTEN", "badcsum", "-"): ("S 0:0(0) win 8192 <mss 1460> bad_csum", "MUST-3"),
    ("LISTEN", "unkopt", "-"): ("S 0:0(0) win 8192 <mss 1460, nop, nop, TS val 100 ecr 0>",
                                "§3.10.7.2-syn-ack"),
    ("LISTEN", "data-noack", "-"): ("P 1:11(10) win 8192", "§3.10.7.2-drop-other"),
    ("SYN_SENT", "syn", "-"): ("S 0:0(0) win 8192 <mss 1460>", "§3.10.7.3-simultaneous-open"),
    ("SYN_SENT", "synack", "below"): ("S. 0:0(0) ack 0 win 8192 <mss 1460>",
                                      "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "synack", "at"): ("S. 0:0(0) ack 1 win 8192 <mss 1460>", "§3.10.7.3-established"),
    ("SYN_SENT", "synack", "beyond"): ("S. 0:0(0) ack 100 win 8192 <mss 1460>",
                                       "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "ack", "below"): (". 1:1(0) ack 0 win 8192", "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "ack", "at"): (". 1:1(0) ack 1 win 8192", "§3.10.7.3-drop-no-syn-no-rst"),
    ("SYN_SENT", "ack", "beyond"): (". 1:1(0) ack 100 win 8192", "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "data", "below"): ("P. 1:11(10) ack 0 win 8192", "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "data", "at"): ("P. 1:11(10) ack 1 win 8192", "§3.10.7.3-drop-no-syn-no-rst"),
    ("SYN_SENT", "data", "beyond"): ("P. 1:11(10) ack 100 win 8192", "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "fin", "below"): ("F. 1:1(0) ack 0 win 8192", "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "fin", "at"): ("F. 1:1(0) ack 1 win 8192", "§3.10.7.3-drop-no-syn-no-rst"),
    ("SYN_SENT", "fin", "beyond"): ("F. 1:1(0) ack 100 win 8192", "§3.10.7.3-rst-for-bad-ack"),
    ("SYN_SENT", "rst", "-"): ("R 0:0(0) win 8192", "§3.10.7.3-drop-rst-no-ack"),
    ("SYN_SENT", "rstack", "below"): ("R. 0:0(0) ack 0 win 8192", "§3.10.7.3-drop-rst-bad-ack"),
    ("SYN_SENT", "rstack", "at"): ("R. 0:0(0) ack 1 win 8192", "§3.10.7.3-rst-refused"),
    ("SYN_SENT", "rstack", "beyond"): ("R. 0:0(0) ack 100 win 8192", "§3.10.7.3-drop-rst-bad-ack"),
    ("SYN_SENT", "badcsum", "-"): ("S. 0:0(0) ack 1 win 8192 <mss 1460> bad_csum", "MUST-3"),
    ("SYN_SENT", "unkopt", "-"): ("S. 0:0(0) ack 1 win 8192 <mss 1460, nop, nop, TS val 100 ecr 0>",
                                  "§3.10.7.3-established"),
}

KIND_TEXT = {
    "syn": "a SYN", "synack": "a SYN-ACK", "ack": "a bare ACK", "data": "a data segment",
    "fin": "a FIN", "rst": "a RST", "rstack": "a RST-ACK", "badcsum": "a data segment with a bad checksum",
    "unkopt": "a data segment with an option the connection does not use (Timestamps, not negotiated)",
    "data-noack": "a data segment without ACK",
}
POS_TEXT = {
    "below": "wholly below RCV.NXT", "at": "at RCV.NXT", "inside": "inside the window, past RCV.NXT",
    "right-edge": "at the last octet of the window (RCV.NXT+RCV.WND-1)",
    "beyond": "beyond the window (RCV.NXT+100000)", "-": "",
}
ACK_POS_TEXT = {"below": "acknowledging ISS (SEG.ACK =< ISS)", "at": "acknowledging our SYN",
                "beyond": "acknowledging data never sent (SEG.ACK > SND.NXT)"}


def inbound_sync(state, kind, pos):
    """The injected segment of a synchronized-state row."""
    _, rcv_nxt, _, ack, _, fin_seen = SYNC_STATES[state]
    n = DATA_LEN if kind in ("data", "unkopt", "badcsum") else 0
    seq, n = seq_of(pos, rcv_nxt, n, RCV_WND_AFTER_FIN if fin_seen else RCV_WND)
    seq %= MOD
    end = (seq + n) % MOD
    if kind == "syn":
        return f"S {seq}:{seq}(0) win 8192 <mss 1460>"
    if kind == "synack":
        return f"S. {seq}:{seq}(0) ack {ack} win 8192 <mss 1460>"
    if kind == "ack":
        return f". {seq}:{seq}(0) ack {ack} win 8192"
    if kind == "fin":
        return f"F. {seq}:{seq}(0) ack {ack} win 8192"
    if kind == "rst":
        return f"R {seq}:{seq}(0) win 8192"
    if kind == "rstack":
        return f"R. {seq}:{seq}(0) ack {ack} win 8192"
    if kind == "badcsum":
        return f"P. {seq}:{end}({n}) ack {ack} win 8192 bad_csum"
    if kind == "unkopt":
        return f"P. {seq}:{end}({n}) ack {ack} win 8192 <nop, nop, TS val 100 ecr 0>"
    return f"P. {seq}:{end}({n}) ack {ack} win 8192"


def seg_fields(seg):
    """flags, seq, len, ack of an inbound segment text."""
    m = re.match(r"(\S+) (\d+):(\d+)\((\d+)\)(?: ack (\d+))?", seg)
    return m.group(1), int(m.group(2)), int(m.group(4)), int(m.group(5)) if m.group(5) else None


def expected_lines(state, seg, rule, snd_nxt, rcv_nxt, unsync):
    """The outbound lines the table demands after the event."""
    outcome, nxt, _, _ = RULES[rule]
    flags, seq, n, ack = seg_fields(seg)
    seg_len = n + ("S" in flags) + ("F" in flags)
    if outcome == "drop" or outcome == "gone":
        return ["+0 > none for 0.2"]
    if outcome == "ack":
        if rule == "§3.10.7.3-established":
            return ["+0 > . 1:1(0) ack 1"]
        return [f"+0 > . {snd_nxt}:{snd_nxt}(0) ack {rcv_nxt}"]
    if outcome == "ack-later":
        return [f"+0~+0.5 > . {snd_nxt}:{snd_nxt}(0) ack {(seq + seg_len) % MOD}"]
    if outcome == "rst-seg-ack":
        return [f"+0 > R {ack}:{ack}(0)"]
    if outcome == "rst-nonack":
        return [f"+0 > R. 0:0(0) ack {(seq + seg_len) % MOD}"]
    if outcome == "syn-ack":
        return ["+0 > S. 0:0(0) ack 1 <...>"]
    raise ValueError(outcome)


def next_state(state, rule):
    nxt = RULES[rule][1]
    if nxt is not None:
        return nxt
    if state == "SYN_RECEIVED" and rule in ("§3.10.7.4-text", "SHLD-31", "§3.10.7.4-ack-duplicate"):
        return "ESTABLISHED"  # the fifth step took the ACK of our SYN first
    return state


# ---- writing the scripts ----------------------------------------------------------

def probe_gone(rcv_nxt, ack):
    """After a connection is gone, an ACK to its port finds no TCB (or the
    listener): <SEQ=SEG.ACK><CTL=RST> (§3.10.7.1, §3.10.7.2)."""
    return [f"+0 < . {rcv_nxt}:{rcv_nxt}(0) ack {ack} win 8192", f"+0 > R {ack}:{ack}(0)"]


# The rules whose outcome RFC 5961 decides (without it, RFC 793 reset the
# connection on these). Their scripts say `rfc5961=on` and run where a
# target can honour it; every other row's outcome is the same with RFC 5961
# on or off (the generator checks both against the reference), so its
# script leaves the key out and runs on lwip too.
RFC5961_RULES = {
    "§3.10.7.4-rst-in-window": "RFC 5961 §3.2",
    "§3.10.7.4-syn-challenge-ack": "RFC 5961 §4.2",
}


def needs_rfc5961(state, kind, pos):
    rule = decide_sync(state, kind, pos) if state in SYNC_STATES else UNSYNC[(state, kind, pos)][1]
    return rule in RFC5961_RULES


def row_script(state, kind, pos):
    """(requirement ids, description, prelude, event, expected, after, targets, config)"""
    neutral = not needs_rfc5961(state, kind, pos)
    config = "sack=off ts=off wscale=off" + ("" if neutral else " rfc5961=on") + " rto_min=1"
    targets = "ref linux lwip" if neutral else "ref linux"
    if state in SYNC_STATES:
        pre, rcv_nxt, snd_nxt, ack, _, _ = SYNC_STATES[state]
        seg = inbound_sync(state, kind, pos)
        rule = decide_sync(state, kind, pos)
        where = POS_TEXT[pos]
        if pos == "right-edge":
            config += f" rcvbuf={RCV_WND}"
            # the window is the stack's own: known for the reference, and
            # for lwIP (TCP_WND = 65535, which @config rcvbuf checks)
            targets = "ref lwip" if neutral else "ref"
    else:
        pre = {"CLOSED": [], "LISTEN": PRE_LISTEN, "SYN_SENT": PRE_SYN_SENT}[state]
        seg, rule = UNSYNC[(state, kind, pos)]
        rcv_nxt, snd_nxt, ack = 1, 1, 1
        where = ACK_POS_TEXT.get(pos, "") if state == "SYN_SENT" else ""
    if state == "SYN_SENT" and kind == "unkopt":
        # lwIP's own SYN offers timestamps whatever `ts=off` says (the lwip
        # target can only check that its peer does not offer them), so on
        # lwip the option is negotiated and the row's premise does not hold.
        targets = targets.replace(" lwip", "")
    nxt = next_state(state, rule)
    expected = expected_lines(state, seg, rule, snd_nxt, rcv_nxt, state not in SYNC_STATES)
    after = []
    outcome = RULES[rule][0]
    if outcome == "gone":
        after = probe_gone(rcv_nxt, ack if state != "SYN_SENT" else 1)
        if state == "SYN_SENT":
            after = ["+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0"]
    elif state not in ("CLOSED", "LISTEN"):
        after = [f"+0 state {nxt}"]
    event = ("+0 " if pre else "0 ") + "< " + seg
    text = KIND_TEXT[kind] + (" " + where if where else "")
    reqs = [rule]
    if kind == "unkopt":
        reqs += ["MUST-6", "RFC7323-3.2-ts-not-negotiated"]
    if kind == "badcsum" and rule != "MUST-3":
        reqs.append("MUST-3")
    if rule in ("§3.10.7.4-rst-in-window",):
        reqs.append("RFC5961-3.2-in-window")
    if rule == "§3.10.7.4-rst-out-of-window":
        reqs.append("RFC5961-3.2-out-of-window")
    if rule == "§3.10.7.4-syn-challenge-ack":
        reqs.append("RFC5961-4.2-syn-challenge")
    if rule == "SHLD-31":
        reqs += ["MAY-13", "RFC5681-4.2-dupack"]
    return reqs, text, rule, pre, event, expected, after, targets, config, nxt


def fmt_line(line):
    """Right-align the time column as the hand-written scripts do."""
    t, rest = line.split(" ", 1)
    return f"{t:>8} {rest}"


def script_text(state, kind, pos):
    reqs, text, rule, pre, event, expected, after, targets, config, nxt = row_script(state, kind, pos)
    outcome, _, section, says = RULES[rule]
    lines = [
        f"// Generated by specs/gen/state_event.py -- do not edit; change the table and re-run.",
        f"// {state.replace('_', '-')}: {text}.",
        f"// Rule {rule} ({section}): {says}.",
        f"// Expected: {outcome}" + (f", then {nxt.replace('_', '-')}" if nxt != state else "") + ".",
        f"// @requirement {' '.join(reqs)}",
        f"// @targets {targets}",
        f"// @config {config}",
    ]
    key = (state, kind, pos)
    if key in REF_DISAGREES:
        lines.append(f"// @xfail ref {REF_DISAGREES[key]}")
    for target, differs in (("linux", LINUX_DIFFERS), ("lwip", LWIP_DIFFERS)):
        for k, why in differs.items():
            if k[0] == state and k[1] in (kind, "*") and k[2] in (pos, "*"):
                lines.append(f"// @xfail {target} {why}")
                break
    lines += ["--tolerance_usecs=10000", ""]
    lines += [fmt_line(l) for l in pre]
    lines.append("")
    lines.append("// the event")
    lines.append(fmt_line(event))
    lines += [fmt_line(l) for l in expected]
    lines += [fmt_line(l) for l in after]
    return "\n".join(lines) + "\n"


def all_rows():
    for st in ("CLOSED", "LISTEN", "SYN_SENT"):
        for (s, k, p) in UNSYNC:
            if s == st:
                yield (s, k, p)
    for st in SYNC_STATES:
        for k in KINDS:
            for p in POSITIONS:
                yield (st, k, p)


def file_name(state, kind, pos):
    name = kind if pos == "-" else f"{kind}-{pos}"
    if state == "SYN_SENT" and pos != "-":
        name = f"{kind}-ack-{pos}"
    return os.path.join(state.lower().replace("_", "-"), name + ".pkt")


# ---- comparing with the reference ------------------------------------------------

PKT_RE = re.compile(r"^\s*\S+\s+>\s+(.*)$")


def norm_packet(text):
    """Flags, numbers and ack of an outbound line, without time, window or options."""
    text = re.sub(r"\s*<[^>]*>\s*$", "", text.strip())
    text = re.sub(r"\s+win \d+", "", text)
    return text


def outbound_after_event(script):
    """The outbound packet lines that follow `// the event` up to the next
    line that is not an outbound packet."""
    out, seen, started = [], False, False
    for line in script.splitlines():
        if line.strip() == "// the event":
            seen = True
            continue
        if not seen:
            continue
        if not started:
            started = True  # the inbound event itself
            continue
        m = PKT_RE.match(line)
        if not m:
            if re.match(r"^\s*\S+\s+state\s", line) or not line.strip() or \
                    line.strip().startswith("//"):
                continue  # a state assertion or a comment: look further
            break
        if not m.group(1).startswith("none"):
            out.append(norm_packet(m.group(1)))
    return out


def strip_outbound(script):
    return "\n".join(l for l in script.splitlines() if not PKT_RE.match(l)) + "\n"


def compare(tcpcheck, text, family):
    """The reference's outbound lines after the event, from `tcpcheck expect`."""
    with tempfile.NamedTemporaryFile("w", suffix=".pkt", delete=False) as f:
        # a last silent span lets delayed ACKs of the event come out
        f.write(strip_outbound(text) + "       +0 > none for 0.6\n")
        path = f.name
    try:
        r = subprocess.run([tcpcheck, "expect", "--ip-version", str(family), path],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    if r.returncode not in (0, 1):
        return None, r.stderr.strip()
    return outbound_after_event(r.stdout), r.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tcpcheck", required=True)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "..", "generated"))
    ap.add_argument("--check", action="store_true", help="compare only, write nothing")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    disagree = stale = 0
    rows = list(all_rows())
    table = ["state\tkind\tposition\tinbound\trule\toutcome\tnext_state\tsection\tfile"]
    for (st, k, p) in rows:
        text = script_text(st, k, p)
        want = outbound_after_event(text)
        key = (st, k, p)
        variants = [("", text)]
        if not needs_rfc5961(st, k, p):
            # a neutral row: the reference must agree with RFC 5961 off too
            variants.append((" (rfc5961=off)", re.sub(r"^(// @config .*)$", r"\1 rfc5961=off",
                                                       text, count=1, flags=re.M)))
        for label, variant in variants:
            got, raw = compare(a.tcpcheck, variant, 4)
            if got is None or (got != want) != (key in REF_DISAGREES):
                disagree += 1
                print(f"DISAGREE {st} {k} {p}{label}: table {want or ['nothing']}, reference "
                      f"{got if got is not None else raw}", file=sys.stderr)
                if a.verbose and got is not None:
                    print(raw, file=sys.stderr)
        reqs, _, rule, _, event, _, _, _, _, nxt = row_script(st, k, p)
        table.append("\t".join([st, k, p, event.split("< ", 1)[1], rule, RULES[rule][0], nxt,
                                RULES[rule][2], file_name(st, k, p)]))
        path = os.path.join(a.out, file_name(st, k, p))
        if a.check:
            old = open(path).read() if os.path.exists(path) else None
            if old != text:
                stale += 1
                print(f"STALE {path}: not what the table writes (re-run without --check)",
                      file=sys.stderr)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    if not a.check:
        with open(os.path.join(a.out, "TABLE.tsv"), "w") as f:
            f.write("\n".join(table) + "\n")
    print(f"{len(rows)} rows, {disagree} disagreement(s) between the table and the reference",
          file=sys.stderr)
    return 1 if disagree or stale else 0


if __name__ == "__main__":
    sys.exit(main())
