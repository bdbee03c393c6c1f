#!/bin/sh
# Writes the HTTP-layer fuzz target's seeds (http-corpus/, committed): what clients send on a
# connection, framed each way the layer reads (Content-Length, chunked, none), pipelined,
# HEAD, Expect: 100-continue, and the refusals (encodings, framing, oversized heads).
# Usage: conformance/server/fuzz/make_http_corpus.sh   (re-running rewrites the same files)
set -eu
out=$(cd "$(dirname "$0")" && pwd)/http-corpus
mkdir -p "$out"
key='Ocp-Apim-Subscription-Key: k'
ae=/adverse-event/fhir/AdverseEvent
seed() { printf "$2" >"$out/$1"; }
seed get-metadata 'GET /adverse-event/fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n'
seed head-metadata 'HEAD /adverse-event/fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\n'
seed pipelined "GET /adverse-event/fhir/metadata HTTP/1.1\r\nHost: x\r\n\r\nGET /taxonomy HTTP/1.1\r\nHost: x\r\n$key\r\n\r\nGET $ae/_history?_count=2&_since=2026-01-01T00:00:00Z HTTP/1.1\r\nHost: x\r\n$key\r\nConnection: close\r\n\r\n"
seed post-length "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\nIdempotency-Key: 00000000-0000-4000-8000-000000000001\r\nContent-Type: application/fhir+json\r\nContent-Length: 31\r\n\r\n{\"resourceType\":\"AdverseEvent\"}"
seed post-chunked "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"resourceType\":\r\ne\r\n\"AdverseEvent\"}\r\n0\r\n\r\n"
seed post-expect "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\nContent-Type: application/fhir+json\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}"
seed post-unframed "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\n\r\n{}"
seed post-gzip "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}"
seed post-te-gzip "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
seed post-te-and-length "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"
seed post-too-large "POST $ae HTTP/1.1\r\nHost: x\r\n$key\r\nContent-Length: 99999999\r\n\r\n"
seed put-absolute-form "PUT http://x$ae/x HTTP/1.1\r\nHost: x\r\n$key\r\nIf-Match: W/\"1\"\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
seed token-form "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 29\r\n\r\ngrant_type=client_credentials"
seed http10 'GET /taxonomy/5 HTTP/1.0\r\nOcp-Apim-Subscription-Key: k\r\n\r\n'
seed bad-escape "GET /x%%zz%%0a?a=%%&b HTTP/1.1\r\nHost: x\r\n\r\n"
seed obs-fold 'GET /taxonomy HTTP/1.1\r\nHost: x\r\nX-a: b\r\n c\r\n\r\n'
