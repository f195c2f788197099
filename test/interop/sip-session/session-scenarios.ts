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
