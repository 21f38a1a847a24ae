#!/bin/sh
# Creates, beside this script:
#   root.crt / root.key      a private root CA (keep root.key offline; give root.crt to clients)
#   server.crt / server.key  the server certificate (90 days) for: DNS:db.example.com,IP:192.0.2.10
# Run it again to rotate the server certificate; the CA is kept if it exists.
set -eu
cd "$(dirname "$0")"
umask 077

if [ ! -f root.key ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key
  openssl req -new -x509 -sha256 -days 3650 -key root.key -out root.crt \
    -subj "/CN=PostgreSQL private root CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
fi

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
openssl req -new -sha256 -key server.key -out server.csr -subj "/CN=db.example.com"
cat > server.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:db.example.com,IP:192.0.2.10
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
openssl x509 -req -sha256 -days 90 -in server.csr -CA root.crt -CAkey root.key \
  -CAcreateserial -extfile server.ext -out server.crt
rm -f server.csr server.ext
chmod 600 server.key root.key
chmod 644 server.crt root.crt
openssl verify -CAfile root.crt server.crt
