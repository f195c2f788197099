// sipp scenarios for issue 5's call features, as inline XML (run by test/support/peers/sipp.ts).
// In-dialog requests from sipp carry [peer_tag_param]; responses to requests after the INVITE
// repeat the INVITE's Via and CSeq, captured with ereg because [last_*] moves on.

const sdp = (direction: string, version = 1): string => `v=0
o=sipp 53655765 ${version} IN IP4 [local_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=${direction}`;

const request = (method: string, cseq: number, body?: { type: string; text: string }): string => `
  <send retrans="500">
    <![CDATA[
      ${method} sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>${cseq === 1 ? '' : '[peer_tag_param]'}
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Max-Forwards: 70
${body ? `      Content-Type: ${body.type}\n      Content-Length: [len]\n\n${body.text}` : '      Content-Length: 0\n'}
    ]]>
  </send>`;

const ack = (cseq: number): string => `
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${cseq} ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>`;

/** sipp calls Handset: INVITE, 200, hold re-INVITE (sendonly), INFO DTMF, UPDATE back to sendrecv, BYE. */
export const uacHoldInfoUpdate = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac-hold-info-update">
${request('INVITE', 1, { type: 'application/sdp', text: sdp('sendrecv') })}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
${ack(1)}
  <pause milliseconds="300"/>
${request('INVITE', 2, { type: 'application/sdp', text: sdp('sendonly', 2) })}
  <recv response="100" optional="true"/>
  <recv response="200"/>
${ack(2)}
  <pause milliseconds="200"/>
${request('INFO', 3, { type: 'application/dtmf-relay', text: 'Signal=5\nDuration=160' })}
  <recv response="200"/>
${request('UPDATE', 4, { type: 'application/sdp', text: sdp('sendrecv', 3) })}
  <recv response="200"/>
  <pause milliseconds="200"/>
${request('BYE', 5)}
  <recv response="200"/>
</scenario>`;

/** sipp sends an INVITE (to a phone whose proxy is elsewhere): the scanner defense answers 403. */
export const uacScanner = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac-scanner">
${request('INVITE', 1, { type: 'application/sdp', text: sdp('sendrecv') })}
  <recv response="100" optional="true"/>
  <recv response="403"/>
${ack(1)}
</scenario>`;

const okFor = (extra: string, body?: string): string => `
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]${extra}
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:sipp@[local_ip]:[local_port]>
${body ? `      Content-Type: application/sdp\n      Content-Length: [len]\n\n${body}` : '      Content-Length: 0\n'}
    ]]>
  </send>`;

const captureInvite = `
    <action>
      <ereg regexp=".*" search_in="hdr" header="Via:" assign_to="invia"/>
      <ereg regexp=".*" search_in="hdr" header="CSeq:" assign_to="incseq"/>
    </action>`;

const inviteOk = `
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      Via: [$invia]
      [last_From:]
      To: [$into]
      [last_Call-ID:]
      CSeq: [$incseq]
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

${sdp('sendrecv')}
    ]]>
  </send>`;

/**
 * Handset calls sipp: 183 with SDP sent reliably (RFC 3262: Require 100rel, RSeq), PRACK, 200,
 * ACK; then INFO DTMF from Handset, a hold re-INVITE (answered recvonly), BYE.
 */
export const uas183PrackInfoHold = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-183-prack-info-hold">
  <recv request="INVITE">${captureInvite}
  </recv>
  <send>
    <![CDATA[
      SIP/2.0 183 Session Progress
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Require: 100rel
      RSeq: 1
      Content-Type: application/sdp
      Content-Length: [len]

${sdp('sendrecv')}
    ]]>
  </send>
  <recv request="PRACK">
    <action>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="into"/>
    </action>
  </recv>
${okFor('')}
  <pause milliseconds="300"/>
${inviteOk}
  <recv request="ACK"/>
  <recv request="INFO"/>
${okFor('')}
  <recv request="INVITE"/>
${okFor('', sdp('recvonly', 2))}
  <recv request="ACK"/>
  <recv request="BYE"/>
${okFor('')}
</scenario>`;

/** CANCEL race: 180, the CANCEL arrives, sipp answers it 200 and then sends 200 to the INVITE anyway. */
export const uasCancelRace = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-cancel-race">
  <recv request="INVITE">${captureInvite}
  </recv>
  <send>
    <![CDATA[
      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Content-Length: 0

    ]]>
  </send>
  <recv request="CANCEL">
    <action>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="into"/>
    </action>
  </recv>
${okFor('')}
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      Via: [$invia]
      [last_From:]
      To: [$into];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [$incseq]
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

${sdp('sendrecv')}
    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="BYE"/>
${okFor('')}
</scenario>`;

/** 302 to another address (key `target`), then the ACK. */
export const uasRedirect = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-302">
  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 302 Moved Temporarily
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <[target]>
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>
</scenario>`;

/** Handset calls sipp; its hold re-INVITE gets 491 (RFC 3261 §14.1), the retry gets 200 recvonly. */
export const uasGlare491 = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-491">
  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

${sdp('sendrecv')}
    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="INVITE"/>
  <send>
    <![CDATA[
      SIP/2.0 491 Request Pending
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="INVITE"/>
${okFor('', sdp('recvonly', 2))}
  <recv request="ACK"/>
  <recv request="BYE"/>
${okFor('')}
</scenario>`;

/** sipp calls Handset without an offer: Handset offers in the 200, sipp answers in the ACK. */
export const uacOfferless = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac-offerless">
${request('INVITE', 1)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200"/>
  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${sdp('sendrecv')}
    ]]>
  </send>
  <pause milliseconds="500"/>
${request('BYE', 2)}
  <recv response="200"/>
</scenario>`;

/** sipp calls Handset requiring 100rel: the 183 with ringback SDP comes reliably, sipp PRACKs it, then the 200. */
export const uacRequire100rel = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uac-100rel">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port]>
      Require: 100rel
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${sdp('sendrecv')}
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="183">
    <action>
      <ereg regexp="[0-9]+" search_in="hdr" header="RSeq:" assign_to="rseq"/>
    </action>
  </recv>
${request('PRACK', 2).replace('      Max-Forwards: 70', '      RAck: [$rseq] 1 INVITE\n      Max-Forwards: 70')}
  <recv response="200"/>
  <recv response="200"/>
${ack(1)}
  <pause milliseconds="300"/>
${request('BYE', 3)}
  <recv response="200"/>
</scenario>`;
