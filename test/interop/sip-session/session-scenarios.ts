// sipp scenarios (inline XML) for the INVITE-session interop tests.
/** A response to the last request; `tag` adds our To tag (not for in-dialog requests). */
export const uasHead = (status: string, tag = true): string => `
  <send><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:]${tag ? ';tag=[call_number]' : ''}
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
Content-Length: 0

  ]]></send>`;

const sdp = `v=0
o=sipp 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio 6000 RTP/AVP 0
a=rtpmap:0 PCMU/8000
`;

const prackUasTemplate = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="reliable 183 then 200">
  <recv request="INVITE" />
  <send><![CDATA[
SIP/2.0 183 Session Progress
[last_Via:]
[last_From:]
[last_To:];tag=[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
Require: 100rel
RSeq: 1
Content-Type: application/sdp
Content-Length: [len]

${sdp}
  ]]></send>
  <recv request="PRACK" />
${uasHead('200 OK', false)}
  <pause milliseconds="100" />
  <send><![CDATA[
SIP/2.0 200 OK
Via: [$via]
From: [$from]
To: [$to];tag=[call_number]
Call-ID: [call_id]
CSeq: [$cseq] INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Content-Length: 0

  ]]></send>
  <recv request="ACK" />
  <recv request="BYE" />
${uasHead('200 OK', false)}
</scenario>`;


export const prackUas = prackUasTemplate.replace('<recv request="INVITE" />', `<recv request="INVITE">
    <action>
      <ereg regexp="Via: ([^\r\n]*)" search_in="msg" check_it="true" assign_to="vialine,via" />
      <ereg regexp="From: ([^\r\n]*)" search_in="msg" check_it="true" assign_to="fromline,from" />
      <ereg regexp="To: ([^\r\n]*)" search_in="msg" check_it="true" assign_to="toline,to" />
      <ereg regexp="CSeq: ([0-9]+)" search_in="msg" check_it="true" assign_to="cseqline,cseq" />
    </action>
  </recv>
  <Reference variables="vialine,fromline,toline,cseqline" />`);

export const cancelUas = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="ring then 487 on CANCEL">
  <recv request="INVITE" />
${uasHead('180 Ringing')}
  <recv request="CANCEL" />
${uasHead('200 OK')}
  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[call_number]
[last_Call-ID:]
CSeq: [cseq] INVITE
Content-Length: 0

  ]]></send>
  <recv request="ACK" />
</scenario>`;

const uacHeaders = (method: string, cseq: number, extra = ''): string => `
  <send><![CDATA[
${method} [$contact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
${extra}]]></send>`;

const sdpFor = (direction: string): string => `Content-Type: application/sdp
Content-Length: [len]

v=0
o=sipp 1 2 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
a=rtpmap:0 PCMU/8000
a=${direction}
`;

/**
 * sipp calls Handset, then in the dialog: INFO dtmf-relay, re-INVITE to hold (sendonly), UPDATE
 * back to sendrecv, REFER (NOTIFYs answered), BYE.
 */
export const midCallUac = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="mid-call features">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
${sdpFor('sendrecv')}]]></send>
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="200" rtd="true">
    <action><ereg regexp="Contact: *.(sip:[^>]*)" search_in="msg" check_it="true" assign_to="cline,contact" /></action>
  </recv>
  <Reference variables="cline" />
  <send><![CDATA[
ACK [$contact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
${uacHeaders('INFO', 2, `Content-Type: application/dtmf-relay
Content-Length: [len]

Signal=5
Duration=160
`)}
  <recv response="200" />
${uacHeaders('INVITE', 3, sdpFor('sendonly'))}
  <recv response="100" optional="true" />
  <recv response="200" />
${uacHeaders('ACK', 3, 'Content-Length: 0\n\n')}
${uacHeaders('UPDATE', 4, sdpFor('sendrecv'))}
  <recv response="200" />
${uacHeaders('REFER', 5, 'Refer-To: <sip:carol@127.0.0.1:5999>\nReferred-By: <sip:sipp@[local_ip]:[local_port]>\nContent-Length: 0\n\n')}
  <recv response="202" />
  <recv request="NOTIFY" />
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <recv request="NOTIFY" />
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
${uacHeaders('BYE', 6, 'Content-Length: 0\n\n')}
  <recv response="200" />
</scenario>`;

/** sipp answers Handset's call, refuses its first re-INVITE with 491 and takes the retry. */
export const glareUas = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="491 then 200 to a re-INVITE">
  <recv request="INVITE" />
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
${sdpFor('sendrecv')}]]></send>
  <recv request="ACK" />
  <recv request="INVITE" />
${uasHead('491 Request Pending', false)}
  <recv request="ACK" />
  <recv request="INVITE" />
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
${sdpFor('sendonly')}]]></send>
  <recv request="ACK" />
  <recv request="BYE" />
${uasHead('200 OK', false)}
</scenario>`;

/** sipp calls Handset requiring 100rel: PRACKs the reliable 183 (RAck from its RSeq), then ACK and BYE. */
export const prackUac = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="INVITE with Require: 100rel">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Require: 100rel
${sdpFor('sendrecv')}]]></send>
  <recv response="100" optional="true" />
  <recv response="183">
    <action>
      <ereg regexp="RSeq: *([0-9]+)" search_in="msg" check_it="true" assign_to="rline,rseq" />
      <ereg regexp="Contact: *.(sip:[^>]*)" search_in="msg" check_it="true" assign_to="cline,contact" />
    </action>
  </recv>
  <Reference variables="rline,cline" />
${uacHeaders('PRACK', 2, 'RAck: [$rseq] 1 INVITE\nContent-Length: 0\n\n')}
  <recv response="200" />
  <recv response="200" />
  <send><![CDATA[
ACK [$contact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
${uacHeaders('BYE', 3, 'Content-Length: 0\n\n')}
  <recv response="200" />
</scenario>`;
