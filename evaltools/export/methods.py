"""The Metode sheet's text: each statistics term used in the workbooks,
explained once in Bahasa Indonesia (IK 95%, d_z, Hake's gain, p).

Example:
    >>> dict(METHODS)["IK 95%"][:40]
    'Interval kepercayaan 95%: rentang yang w'
"""

from __future__ import annotations

METHODS = [
    ("Skor", "Persen jawaban benar dari butir yang dinilai (butir yang dasar hukumnya belum "
             "pasti tidak dihitung)."),
    ("Peserta berpasangan", "Peserta yang pre-test dan post-test-nya dapat dicocokkan (NIP, kode "
                            "peserta, atau nama di OPD yang sama). Semua perbandingan utama hanya "
                            "memakai mereka."),
    ("Kenaikan", "Rata-rata (post - pre) peserta berpasangan, dalam poin persen."),
    ("IK 95%", "Interval kepercayaan 95%: rentang yang wajar untuk nilai sebenarnya (di sini dari "
               "uji t berpasangan). Bila rentang kenaikan tidak memuat 0, kenaikan itu nyata; "
               "rentang yang lebar berarti perkiraannya kasar (peserta sedikit atau hasil beragam)."),
    ("p", "Peluang mendapat selisih sebesar ini bila sosialisasi sebenarnya tidak berpengaruh; "
          "p < 0,05 dibaca 'berubah nyata'. Uji t dan Wilcoxon (tanpa asumsi normal) dilaporkan "
          "keduanya."),
    ("d_z", "Ukuran efek: kenaikan rata-rata dibagi simpangan baku kenaikan peserta (Cohen), "
            "tanpa satuan, sehingga sesi dengan tes berbeda dapat dibandingkan: < 0,20 sangat "
            "kecil, < 0,50 kecil, < 0,80 sedang, selebihnya besar. Kata itu ditentukan dari nilai "
            "yang tercetak (dua desimal): d_z 0,80 selalu 'besar'."),
    ("Gain Hake <g>", "Bagian dari ruang yang tersisa untuk naik yang benar-benar tercapai: "
                      "(post - pre) / (100 - pre); < 0,30 rendah, 0,30-0,69 sedang, >= 0,70 "
                      "tinggi. 'Kelas' dihitung dari skor rata-rata; 'rata-rata gain individu' "
                      "dari gain tiap peserta. Bila keduanya jatuh di kategori berbeda, laporan "
                      "menyebut keduanya."),
    ("Pembulatan", "Semua angka dibulatkan setengah ke atas (12,5 menjadi 13), dengan koma desimal "
                   "dan titik ribuan; persen lulus tanpa desimal. Nilai p tiga desimal, empat "
                   "di sekitar 0,05, '< 0,001' bila lebih kecil."),
    ("Angka kasar", "Kurang dari 20 peserta berpasangan: angka-angka sesi adalah perkiraan kasar. "
                    "Skala sikap dengan alpha di bawah 0,60 belum cukup andal untuk dinilai; "
                    "perubahannya tidak disimpulkan."),
    ("Lulus KKM", "Persen peserta dengan skor >= KKM; perubahan diuji McNemar."),
    ("p Holm / p BH", "p yang disesuaikan karena banyak kelompok (OPD, topik: Holm) atau banyak "
                      "butir (Benjamini-Hochberg) diuji sekaligus."),
    ("Kenaikan (dipadukan)", "Kenaikan OPD yang ditarik ke arah rata-rata semua OPD sesuai "
                             "ketelitiannya (partial pooling, DerSimonian-Laird): lebih stabil "
                             "untuk OPD kecil."),
    ("n < 5", "Kelompok dengan kurang dari 5 peserta tidak ditampilkan angkanya (privasi dan "
              "ketidakpastian besar)."),
    ("disembunyikan (melindungi kelompok kecil)", "Kelompok yang cukup besar tetapi ikut "
     "disembunyikan: tanpa itu, angka kelompok n < 5 dapat dihitung dari total sesi dikurangi "
     "kelompok yang tampil."),
    ("Peserta yang tidak ikut post-test", "Skor pre-test mereka dibandingkan dengan peserta yang "
                                         "lengkap (uji t Welch, Mann-Whitney): bila lebih rendah, "
                                         "kenaikan bisa tampak lebih besar dari sebenarnya."),
    # retention over several follow-up surveys (Recap.trajectory, rekap.xlsx sheet Retensi)
    ("Lintasan retensi", "Peserta sesi dicari di setiap survei tindak lanjut. Rata-rata per "
                         "gelombang dihitung dari peserta yang mengisi semua tes (n semua tes), "
                         "sehingga garisnya memuat orang yang sama; setiap survei dibandingkan "
                         "dengan post-test pada semua peserta yang mengisi keduanya (uji t "
                         "berpasangan, IK 95%, d_z), p disesuaikan Holm di antara survei sesi itu."),
    ("Keandalan (alpha)", "Cronbach's alpha / KR-20 dengan IK 95% Feldt; >= 0,70 memadai untuk "
                          "menilai kelompok."),
    ("Kesukaran, daya beda", "Proporsi benar; selisih proporsi benar 27% peserta terbaik dan "
                             "27% terendah. Butir dengan daya beda atau r_drop < 0,20 perlu "
                             "direvisi; r_drop negatif: periksa kunci."),
    # DIF (evaltools.dif): one block
    ("DIF (ETS, post)", "Butir yang memperlakukan kelompok berbeda: pada post-test peserta "
                        "berpasangan, tiap kelompok jenis pegawai atau kabupaten/kota (>= 5 "
                        "peserta) dibandingkan dengan peserta lain yang skornya pada soal-soal "
                        "lain setara (Mantel-Haenszel). Delta MH = -2,35 ln(rasio odds MH); "
                        "negatif: butir lebih sulit bagi kelompok itu. Kategori ETS: A bila "
                        "|delta| < 1 atau uji khi-kuadrat MH tidak nyata (p >= 0,05); C bila "
                        "|delta| >= 1,5 dan nyata lebih dari 1; selebihnya B. Butir C perlu "
                        "diperiksa kata-kata dan konteksnya. Ditampilkan kelompok dengan kategori "
                        "tertinggi; p BH disesuaikan atas semua butir."),
    ("Sikap", "Skala 1-5; pernyataan bernada sebaliknya dibalik (6 - x); pre vs post diuji "
              "Wilcoxon."),
    # compare_sessions (rekap.xlsx, sheet "Format sesi" / "Antar-sesi")
    ("ANCOVA (post disesuaikan pre)", "Membandingkan format sesi (luring, daring, hibrida di "
     "sesi.yaml) atau sesi: skor post-test peserta berpasangan dimodelkan dari skor pre-test dan "
     "kelompoknya (ANCOVA satu arah, jumlah kuadrat tipe II). 'Rata-rata post disesuaikan' adalah "
     "perkiraan post-test tiap kelompok bila semua berangkat dari pre-test rata-rata yang sama; "
     "selisihnya diuji berpasangan dengan p Holm; eta kuadrat parsial = bagian ragam post-test yang "
     "dijelaskan kelompok. Syaratnya diuji: kemiringan sama (interaksi pre x kelompok), ragam "
     "residu sama (Levene, median), residu normal (Shapiro-Wilk); bila kemiringan berbeda, "
     "pakai perbandingan kenaikan (uji Welch, tanpa asumsi ragam sama). Kelompok dengan kurang "
     "dari 5 peserta tidak dibandingkan. Sama dengan R lm, car::Anova, emmeans."),
    # bayes_power (issue 24): the Bayes factor and the minimum detectable gain
    ("BF10 (faktor Bayes)", "Berapa kali data ini lebih mungkin bila ada perubahan daripada bila "
                            "tidak ada (uji t Bayes JZS, prior Cauchy skala 0,707, seperti JASP). "
                            "Di atas 1 mendukung adanya perubahan: 1-3 bukti anekdotal, 3-10 bukti "
                            "sedang, 10-30 bukti kuat, 30-100 bukti sangat kuat, di atas 100 bukti "
                            "ekstrem. Di bawah 1 mendukung tidak ada perubahan, dengan kata yang "
                            "sama pada 1/3, 1/10, 1/30, 1/100. Dicetak '> 1000' bila lebih besar, "
                            "'< 0,001' bila lebih kecil. Berbeda dengan p, BF10 kecil dapat "
                            "menunjukkan bahwa sosialisasi memang tidak mengubah apa-apa."),
    ("Kenaikan min. terlihat", "Kenaikan terkecil (poin) yang dengan jumlah peserta kelompok itu "
                               "akan terdeteksi 8 dari 10 kali (daya uji 80%, alpha 0,05 dua sisi, "
                               "uji t berpasangan), memakai simpangan baku kenaikan seluruh sesi. "
                               "OPD kecil yang 'tidak berubah nyata' mungkin tetap naik, tetapi "
                               "kurang dari angka ini; 'evaltools plan' menghitung jumlah peserta "
                               "yang diperlukan."),
    ("Rujukan", "Semua angka sama dengan R (t.test, wilcox.test, effectsize untuk d_z dan g, "
                "uniroot pada pt untuk IK 95% d_z, mcnemar.test, mantelhaen.test, p.adjust, metafor, psych, "
                "pwr, car, emmeans) "
                "hingga 1e-9; BF10 sama dengan BayesFactor::ttestBF hingga 1e-6. Selisih pre-post "
                "dibulatkan ke 9 desimal sebelum Wilcoxon, agar nilai yang sama tidak terpisah oleh "
                "galat pembulatan. Rincian: docs/statistics.md evaltools."),
]


