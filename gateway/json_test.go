package main

import (
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

func protojsonUnmarshal(data []byte, m proto.Message) error {
	return protojson.Unmarshal(data, m)
}
