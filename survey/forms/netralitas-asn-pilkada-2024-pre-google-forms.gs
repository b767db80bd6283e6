/*
 * Tes Pemahaman Netralitas ASN - Pilkada Serentak 2024 - Pre-test (sebelum sosialisasi) [netralitas-asn-pilkada-2024 v2024.1 pre]
 * Dibuat oleh evaltools dari instrumen netralitas-asn-pilkada-2024 v2024.1 pre. Jangan diubah tangan:
 * buat ulang dengan `evaltools forms` bila instrumen berubah.
 *
 * Cara memakai (sekali saja, di akun Google penyelenggara):
 *  1. Buka https://script.google.com, klik "Proyek baru".
 *  2. Hapus isi Code.gs, tempel seluruh berkas ini, simpan.
 *  3. Pilih fungsi buatFormulir lalu klik "Jalankan"; izinkan akses Google Forms.
 *  4. Tautan formulir muncul di "Log eksekusi". Judul formulir memuat kode
 *     [netralitas-asn-pilkada-2024 v2024.1 pre]: jangan dihapus, evaltools membacanya dari nama berkas unduhan.
 *  5. Untuk pre-test, di Setelan > Kuis pilih "Nanti, setelah peninjauan manual"
 *     dan matikan "Jawaban yang benar", agar kunci tidak bocor sebelum post-test.
 *  6. Setelah sesi: tab Respons > Unduh respons (.csv), lalu baca dengan evaltools.
 *
 * English: run buatFormulir() once in Apps Script; it creates the quiz and logs
 * its links. Keep the [code] in the title; download responses as CSV.
 */

var MODEL = {
 "title": "Tes Pemahaman Netralitas ASN - Pilkada Serentak 2024 - Pre-test (sebelum sosialisasi) [netralitas-asn-pilkada-2024 v2024.1 pre]",
 "description": "Pre-test (sebelum sosialisasi). Isi data diri Anda, lalu jawab setiap soal sendiri tanpa melihat catatan. NIP ditulis 18 angka tanpa spasi; peserta tanpa NIP mengisi kode peserta. Kode formulir: [netralitas-asn-pilkada-2024 v2024.1 pre]",
 "stamp": "netralitas-asn-pilkada-2024 v2024.1 pre",
 "confirmation": "Terima kasih. Jawaban Anda sudah tercatat.",
 "questions": [
  {
   "id": "_peserta",
   "kind": "section",
   "title": "Data peserta",
   "help": "",
   "required": false,
   "choices": [],
   "points": 0,
   "validation": null
  },
  {
   "id": "nama",
   "kind": "text",
   "title": "Nama lengkap",
   "help": "",
   "required": true,
   "choices": [],
   "points": 0,
   "validation": null
  },
  {
   "id": "nip",
   "kind": "text",
   "title": "NIP / NI PPPK",
   "help": "18 digit, tanpa spasi. Kosongkan bila bukan ASN.",
   "required": false,
   "choices": [],
   "points": 0,
   "validation": {
    "pattern": "^[0-9]{18}$",
    "message": "NIP harus 18 angka tanpa spasi"
   }
  },
  {
   "id": "kode_peserta",
   "kind": "text",
   "title": "Kode peserta",
   "help": "Untuk peserta tanpa NIP: inisial nama + tanggal dan bulan lahir (DDMM), mis. AS2208.",
   "required": false,
   "choices": [],
   "points": 0,
   "validation": null
  },
  {
   "id": "opd",
   "kind": "dropdown",
   "title": "OPD / Unit kerja",
   "help": "Pilih OPD Anda; bila tidak ada, pilih 'Lainnya' dan tulis namanya di pertanyaan berikut.",
   "required": true,
   "choices": [
    {
     "value": "Kesbangpol Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Diskominfo Prov. Kaltim",
     "correct": false
    },
    {
     "value": "BKD Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Inspektorat Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Bappeda Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Dinas Pendidikan dan Kebudayaan Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Dinas Kesehatan Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Satpol PP Prov. Kaltim",
     "correct": false
    },
    {
     "value": "DPMPD Prov. Kaltim",
     "correct": false
    },
    {
     "value": "BPKAD Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Dinas Sosial Prov. Kaltim",
     "correct": false
    },
    {
     "value": "RSUD A.W. Sjahranie Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Setda Prov. Kaltim",
     "correct": false
    },
    {
     "value": "Bapenda Prov. Kaltim",
     "correct": false
    },
    {
     "value": "BPBD Prov. Kaltim",
     "correct": false
    },
    {
     "value": "BKPSDM Kab. Paser",
     "correct": false
    },
    {
     "value": "Kesbangpol Kab. Paser",
     "correct": false
    },
    {
     "value": "BKPSDM Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "Kesbangpol Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "BKPSDM Kab. Berau",
     "correct": false
    },
    {
     "value": "Kesbangpol Kab. Berau",
     "correct": false
    },
    {
     "value": "BKPSDM Kab. Kutai Barat",
     "correct": false
    },
    {
     "value": "Kesbangpol Kab. Kutai Barat",
     "correct": false
    },
    {
     "value": "BKPSDM Kab. Kutai Timur",
     "correct": false
    },
    {
     "value": "Kesbangpol Kab. Kutai Timur",
     "correct": false
    },
    {
     "value": "BKPSDM Kab. Penajam Paser Utara",
     "correct": false
    },
    {
     "value": "Kesbangpol Kab. Penajam Paser Utara",
     "correct": false
    },
    {
     "value": "BKPSDM Kab. Mahakam Ulu",
     "correct": false
    },
    {
     "value": "Kesbangpol Kab. Mahakam Ulu",
     "correct": false
    },
    {
     "value": "BKPSDM Kota Balikpapan",
     "correct": false
    },
    {
     "value": "Kesbangpol Kota Balikpapan",
     "correct": false
    },
    {
     "value": "BKPSDM Kota Samarinda",
     "correct": false
    },
    {
     "value": "Kesbangpol Kota Samarinda",
     "correct": false
    },
    {
     "value": "BKPSDM Kota Bontang",
     "correct": false
    },
    {
     "value": "Kesbangpol Kota Bontang",
     "correct": false
    },
    {
     "value": "Kecamatan Loa Janan",
     "correct": false
    },
    {
     "value": "UPT Dinas Pendidikan Kecamatan Loa Janan",
     "correct": false
    },
    {
     "value": "UPT Puskesmas Loa Janan",
     "correct": false
    },
    {
     "value": "Pemerintah Desa se-Kecamatan Loa Janan",
     "correct": false
    },
    {
     "value": "Kelurahan Loa Janan Ilir",
     "correct": false
    },
    {
     "value": "Diskominfo Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "DPMD Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "Dinas Perikanan Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "Dinas Perkim Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "DLH Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "Disnakertrans Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "Dinkes Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "Disdikbud Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "DP3AKB Kota Balikpapan",
     "correct": false
    },
    {
     "value": "Diskominfo Kota Balikpapan",
     "correct": false
    },
    {
     "value": "Lainnya",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "opd_lainnya",
   "kind": "text",
   "title": "Nama OPD / unit kerja lainnya",
   "help": "Hanya bila Anda memilih 'Lainnya' di atas.",
   "required": false,
   "choices": [],
   "points": 0,
   "validation": null
  },
  {
   "id": "jenis_pegawai",
   "kind": "choice",
   "title": "Jenis pegawai",
   "help": "",
   "required": true,
   "choices": [
    {
     "value": "PNS",
     "correct": false
    },
    {
     "value": "PPPK",
     "correct": false
    },
    {
     "value": "Non-ASN",
     "correct": false
    },
    {
     "value": "Kepala/Perangkat Desa",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "jabatan",
   "kind": "text",
   "title": "Jabatan",
   "help": "",
   "required": false,
   "choices": [],
   "points": 0,
   "validation": null
  },
  {
   "id": "jenis_kelamin",
   "kind": "choice",
   "title": "Jenis kelamin",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Laki-laki",
     "correct": false
    },
    {
     "value": "Perempuan",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "kabupaten_kota",
   "kind": "dropdown",
   "title": "Kabupaten/Kota",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Kab. Paser",
     "correct": false
    },
    {
     "value": "Kab. Kutai Kartanegara",
     "correct": false
    },
    {
     "value": "Kab. Berau",
     "correct": false
    },
    {
     "value": "Kab. Kutai Barat",
     "correct": false
    },
    {
     "value": "Kab. Kutai Timur",
     "correct": false
    },
    {
     "value": "Kab. Penajam Paser Utara",
     "correct": false
    },
    {
     "value": "Kab. Mahakam Ulu",
     "correct": false
    },
    {
     "value": "Kota Balikpapan",
     "correct": false
    },
    {
     "value": "Kota Samarinda",
     "correct": false
    },
    {
     "value": "Kota Bontang",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "_pengetahuan",
   "kind": "section",
   "title": "Tes pengetahuan",
   "help": "Pilih satu jawaban, kecuali soal yang meminta semua jawaban yang benar.",
   "required": false,
   "choices": [],
   "points": 0,
   "validation": null
  },
  {
   "id": "q01",
   "kind": "choice",
   "title": "1. Undang-undang tentang ASN yang berlaku saat ini adalah:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "UU 5/2014",
     "correct": false
    },
    {
     "value": "UU 20/2023",
     "correct": true
    },
    {
     "value": "UU 7/2017",
     "correct": false
    },
    {
     "value": "UU 10/2016",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q02",
   "kind": "choice",
   "title": "2. Yang BUKAN termasuk nilai dasar BerAKHLAK adalah:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Harmonis",
     "correct": false
    },
    {
     "value": "Adaptif",
     "correct": false
    },
    {
     "value": "Kolaboratif",
     "correct": false
    },
    {
     "value": "Populis",
     "correct": true
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q03",
   "kind": "choice",
   "title": "3. Setia pada Pancasila, UUD 1945, NKRI dan pemerintahan yang sah termasuk nilai:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Kompeten",
     "correct": false
    },
    {
     "value": "Loyal",
     "correct": true
    },
    {
     "value": "Adaptif",
     "correct": false
    },
    {
     "value": "Harmonis",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q04",
   "kind": "choice",
   "title": "4. Pegawai ASN harus bebas dari pengaruh dan intervensi semua golongan dan partai politik.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": false
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "q05",
   "kind": "choice",
   "title": "5. ASN yang menjadi anggota atau pengurus partai politik dikenai:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "teguran lisan",
     "correct": false
    },
    {
     "value": "pemotongan tunjangan kinerja",
     "correct": false
    },
    {
     "value": "pemberhentian tidak dengan hormat",
     "correct": true
    },
    {
     "value": "tidak ada sanksi",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q06",
   "kind": "choice",
   "title": "6. Yang TIDAK ikut menandatangani SKB Netralitas ASN tahun 2022 adalah:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Menteri PANRB",
     "correct": false
    },
    {
     "value": "Kepala BKN",
     "correct": false
    },
    {
     "value": "Ketua Bawaslu",
     "correct": false
    },
    {
     "value": "Ketua KPU",
     "correct": true
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q07",
   "kind": "choice",
   "title": "7. PNS dilarang memberikan surat dukungan disertai fotokopi KTP kepada bakal calon.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": true
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q08",
   "kind": "choice",
   "title": "8. Hukuman disiplin sedang bagi PNS berupa:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "teguran tertulis",
     "correct": false
    },
    {
     "value": "pemotongan tunjangan kinerja 25% selama 6, 9 atau 12 bulan",
     "correct": true
    },
    {
     "value": "penurunan jabatan",
     "correct": false
    },
    {
     "value": "pemberhentian",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q09",
   "kind": "choice",
   "title": "9. Bergabung dengan atau mengikuti (follow) grup/akun pemenangan bakal calon termasuk pelanggaran netralitas.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": true
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q10",
   "kind": "choice",
   "title": "10. PNS yang mendukung calon dengan menggunakan fasilitas negara dikenai hukuman disiplin:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "ringan",
     "correct": false
    },
    {
     "value": "sedang",
     "correct": false
    },
    {
     "value": "berat",
     "correct": true
    },
    {
     "value": "hanya sanksi moral",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q11",
   "kind": "choice",
   "title": "11. PNS yang ikut kampanye dengan menggunakan atribut partai dikenai hukuman disiplin:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "ringan",
     "correct": false
    },
    {
     "value": "sedang",
     "correct": true
    },
    {
     "value": "berat",
     "correct": false
    },
    {
     "value": "hanya pidana",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q12",
   "kind": "choice",
   "title": "12. Memberi like, komentar atau membagikan unggahan akun pemenangan calon dibolehkan asalkan di luar jam kerja.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": false
    },
    {
     "value": "Salah",
     "correct": true
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q13",
   "kind": "choice",
   "title": "13. Menurut SKB 2022, ASN yang menyukai/membagikan unggahan kampanye di media sosial dikenai:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "sanksi moral (pernyataan secara tertutup atau terbuka)",
     "correct": true
    },
    {
     "value": "pemberhentian tidak dengan hormat",
     "correct": false
    },
    {
     "value": "pidana penjara",
     "correct": false
    },
    {
     "value": "tidak ada sanksi",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q14",
   "kind": "choice",
   "title": "14. Mengunggah foto bersama calon sambil memperagakan simbol jari nomor urut termasuk pelanggaran netralitas.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": true
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q15",
   "kind": "choice",
   "title": "15. Kepala desa yang membuat keputusan yang menguntungkan salah satu peserta pemilu selama masa kampanye dapat dipidana.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": true
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q16",
   "kind": "choice",
   "title": "16. ASN boleh menjadi anggota tim kampanye asalkan di luar jam kerja.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": false
    },
    {
     "value": "Salah",
     "correct": true
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q17",
   "kind": "choice",
   "title": "17. ASN yang menjadi pelaksana atau tim kampanye pemilu diancam pidana:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "denda Rp1 juta",
     "correct": false
    },
    {
     "value": "kurungan paling lama 1 tahun dan denda paling banyak Rp12 juta",
     "correct": true
    },
    {
     "value": "penjara 5 tahun",
     "correct": false
    },
    {
     "value": "teguran",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q18",
   "kind": "choice",
   "title": "18. Larangan kegiatan yang mengarah pada keberpihakan berlaku:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "hanya pada masa kampanye",
     "correct": false
    },
    {
     "value": "hanya pada masa tenang",
     "correct": false
    },
    {
     "value": "sebelum, selama dan sesudah masa kampanye",
     "correct": true
    },
    {
     "value": "hanya pada hari pemungutan suara",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q19",
   "kind": "choice",
   "title": "19. Pejabat ASN yang membuat keputusan yang menguntungkan pasangan calon Pilkada diancam:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "penjara 1-6 bulan dan/atau denda Rp600 ribu-Rp6 juta",
     "correct": true
    },
    {
     "value": "kurungan 5 tahun",
     "correct": false
    },
    {
     "value": "teguran lisan",
     "correct": false
    },
    {
     "value": "tidak ada sanksi",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q20",
   "kind": "choice",
   "title": "20. Pasal 189 UU Pilkada mengancam pidana pihak yang melibatkan ASN dalam kampanye, yaitu:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "ASN yang terlibat",
     "correct": false
    },
    {
     "value": "Bawaslu",
     "correct": false
    },
    {
     "value": "calon/pasangan calon",
     "correct": true
    },
    {
     "value": "KPU",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q21",
   "kind": "choice",
   "title": "21. ASN tetap berhak memberikan suara di TPS.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": true
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q22",
   "kind": "choice",
   "title": "22. ASN yang maju sebagai calon kepala daerah wajib mengundurkan diri:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "saat mendaftar ke partai politik",
     "correct": false
    },
    {
     "value": "sejak ditetapkan sebagai pasangan calon",
     "correct": true
    },
    {
     "value": "setelah terpilih",
     "correct": false
    },
    {
     "value": "tidak perlu mengundurkan diri",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q23",
   "kind": "choice",
   "title": "23. ASN sama sekali dilarang menjadi anggota KPPS.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": false
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "q24",
   "kind": "choice",
   "title": "24. Dugaan pelanggaran pemilu dilaporkan ke Bawaslu paling lambat:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "3 hari",
     "correct": false
    },
    {
     "value": "7 hari sejak diketahui",
     "correct": false
    },
    {
     "value": "14 hari",
     "correct": false
    },
    {
     "value": "30 hari",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "q25",
   "kind": "choice",
   "title": "25. Yang termasuk syarat materiil laporan dugaan pelanggaran adalah:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "nama pelapor",
     "correct": false
    },
    {
     "value": "uraian kejadian dan bukti",
     "correct": false
    },
    {
     "value": "fotokopi KTP",
     "correct": false
    },
    {
     "value": "tanda tangan",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "q26",
   "kind": "choice",
   "title": "26. Hukuman disiplin atas pelanggaran netralitas ASN dijatuhkan oleh:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Bawaslu",
     "correct": false
    },
    {
     "value": "KPU",
     "correct": false
    },
    {
     "value": "Pejabat Pembina Kepegawaian",
     "correct": true
    },
    {
     "value": "DPRD",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q27",
   "kind": "choice",
   "title": "27. Sejak KASN dibubarkan, fungsi pengawasan netralitas ASN dijalankan oleh:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "KPU",
     "correct": false
    },
    {
     "value": "BKN",
     "correct": true
    },
    {
     "value": "DKPP",
     "correct": false
    },
    {
     "value": "Ombudsman",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q28",
   "kind": "choice",
   "title": "28. Kewajiban netralitas bagi pegawai non-ASN diatur dalam:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "SE Menteri PANRB No. 1 Tahun 2023",
     "correct": true
    },
    {
     "value": "PP 94/2021",
     "correct": false
    },
    {
     "value": "UU 7/2017",
     "correct": false
    },
    {
     "value": "Perbawaslu 6/2018",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q29",
   "kind": "choice",
   "title": "29. Kode etik PNS mewajibkan PNS menghindari konflik kepentingan pribadi, kelompok maupun golongan.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "Benar",
     "correct": true
    },
    {
     "value": "Salah",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q30",
   "kind": "choice",
   "title": "30. Yang BUKAN merupakan pelanggaran netralitas ASN adalah:",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "memasang baliho bakal calon",
     "correct": false
    },
    {
     "value": "mendekati partai politik sebagai bakal calon tanpa cuti di luar tanggungan negara",
     "correct": false
    },
    {
     "value": "mengikuti akun pemenangan calon",
     "correct": false
    },
    {
     "value": "memberikan suara di TPS",
     "correct": true
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "q31",
   "kind": "checkbox",
   "title": "31. Pilih SEMUA tindakan yang dilarang bagi ASN:",
   "help": "Pilih semua yang benar.",
   "required": false,
   "choices": [
    {
     "value": "menjadi tim kampanye",
     "correct": true
    },
    {
     "value": "memberikan suara di TPS",
     "correct": false
    },
    {
     "value": "membagikan unggahan akun pemenangan",
     "correct": true
    },
    {
     "value": "menggunakan mobil dinas untuk kegiatan calon",
     "correct": true
    },
    {
     "value": "menghadiri rapat dinas",
     "correct": false
    }
   ],
   "points": 1,
   "validation": null
  },
  {
   "id": "_sikap",
   "kind": "section",
   "title": "Sikap netralitas",
   "help": "Seberapa setuju Anda dengan pernyataan berikut?",
   "required": false,
   "choices": [],
   "points": 0,
   "validation": null
  },
  {
   "id": "sikap_1",
   "kind": "choice",
   "title": "Saya tetap netral walaupun calon adalah kerabat saya.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "1 - Sangat tidak setuju",
     "correct": false
    },
    {
     "value": "2 - Tidak setuju",
     "correct": false
    },
    {
     "value": "3 - Ragu-ragu",
     "correct": false
    },
    {
     "value": "4 - Setuju",
     "correct": false
    },
    {
     "value": "5 - Sangat setuju",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "sikap_2",
   "kind": "choice",
   "title": "Saya akan menolak ajakan atasan untuk mendukung calon tertentu.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "1 - Sangat tidak setuju",
     "correct": false
    },
    {
     "value": "2 - Tidak setuju",
     "correct": false
    },
    {
     "value": "3 - Ragu-ragu",
     "correct": false
    },
    {
     "value": "4 - Setuju",
     "correct": false
    },
    {
     "value": "5 - Sangat setuju",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "sikap_3",
   "kind": "choice",
   "title": "Saya menahan diri dari memberi like, komentar atau membagikan konten kampanye di media sosial.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "1 - Sangat tidak setuju",
     "correct": false
    },
    {
     "value": "2 - Tidak setuju",
     "correct": false
    },
    {
     "value": "3 - Ragu-ragu",
     "correct": false
    },
    {
     "value": "4 - Setuju",
     "correct": false
    },
    {
     "value": "5 - Sangat setuju",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "sikap_4",
   "kind": "choice",
   "title": "Netralitas ASN penting agar pelayanan publik adil bagi semua warga.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "1 - Sangat tidak setuju",
     "correct": false
    },
    {
     "value": "2 - Tidak setuju",
     "correct": false
    },
    {
     "value": "3 - Ragu-ragu",
     "correct": false
    },
    {
     "value": "4 - Setuju",
     "correct": false
    },
    {
     "value": "5 - Sangat setuju",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "sikap_5",
   "kind": "choice",
   "title": "Saya bersedia melaporkan dugaan pelanggaran netralitas yang saya ketahui.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "1 - Sangat tidak setuju",
     "correct": false
    },
    {
     "value": "2 - Tidak setuju",
     "correct": false
    },
    {
     "value": "3 - Ragu-ragu",
     "correct": false
    },
    {
     "value": "4 - Setuju",
     "correct": false
    },
    {
     "value": "5 - Sangat setuju",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  },
  {
   "id": "sikap_6",
   "kind": "choice",
   "title": "Wajar bagi ASN menunjukkan dukungan politik di akun pribadi di luar jam kerja.",
   "help": "",
   "required": false,
   "choices": [
    {
     "value": "1 - Sangat tidak setuju",
     "correct": false
    },
    {
     "value": "2 - Tidak setuju",
     "correct": false
    },
    {
     "value": "3 - Ragu-ragu",
     "correct": false
    },
    {
     "value": "4 - Setuju",
     "correct": false
    },
    {
     "value": "5 - Sangat setuju",
     "correct": false
    }
   ],
   "points": 0,
   "validation": null
  }
 ]
};

function buatFormulir() {
  var form = FormApp.create(MODEL.title);
  form.setDescription(MODEL.description);
  form.setIsQuiz(true);
  form.setCollectEmail(false);
  form.setAllowResponseEdits(false);
  form.setShowLinkToRespondAgain(false);
  form.setProgressBar(true);
  form.setConfirmationMessage(MODEL.confirmation);
  MODEL.questions.forEach(function (q) { tambahPertanyaan(form, q); });
  Logger.log('Formulir dibuat: ' + form.getPublishedUrl());
  Logger.log('Sunting formulir: ' + form.getEditUrl());
  return form;
}

function tambahPertanyaan(form, q) {
  var item;
  if (q.kind === 'section') {
    form.addPageBreakItem().setTitle(q.title).setHelpText(q.help);
    return null;
  }
  if (q.kind === 'text' || q.kind === 'paragraph') {
    item = q.kind === 'text' ? form.addTextItem() : form.addParagraphTextItem();
    if (q.validation) {
      item.setValidation(FormApp.createTextValidation()
        .setHelpText(q.validation.message)
        .requireTextMatchesPattern(q.validation.pattern)
        .build());
    }
  } else {
    item = q.kind === 'dropdown' ? form.addListItem()
      : q.kind === 'checkbox' ? form.addCheckboxItem() : form.addMultipleChoiceItem();
    item.setChoices(q.choices.map(function (c) { return item.createChoice(c.value, c.correct); }));
    item.setPoints(q.points);
  }
  item.setTitle(q.title).setHelpText(q.help).setRequired(q.required);
  return item;
}

// Nama lain, bila editor memilih fungsi pertama secara bawaan.
function main() {
  return buatFormulir();
}
